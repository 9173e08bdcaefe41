/** The kobj example: a module of its own that reads kobj's linker module, as a user's would. */
module dev.kobj.examples {
    requires dev.kobj.link;
}
