/** The module registry: load, unload, dependencies, refcounts and policy, as the classic kernel loaders promise. */
module dev.kobj.registry {
    requires transitive dev.kobj.link;
    requires java.xml;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports dev.kobj.registry;
    exports dev.kobj.registry.depmod;
    exports dev.kobj.registry.kernel;
    exports dev.kobj.registry.policy;
    exports dev.kobj.registry.sign;
}
