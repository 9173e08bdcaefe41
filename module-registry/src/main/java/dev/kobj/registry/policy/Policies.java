package dev.kobj.registry.policy;

import dev.kobj.registry.SecurityPolicy;
import dev.kobj.registry.sign.TrustedKeys;

/** Building and combining security policies. */
public final class Policies {
    private Policies() {}

    /**
     * {@return a policy that asks each policy in order, loads and unloads alike; the first
     * refusal wins and the rest are not asked} Put the cheap ones first: securelevel, then the
     * blacklist, then signatures (which read the whole file). Linux itself checks the signature
     * before the blacklist, so the errno of a module that is both unsigned and blacklisted
     * depends on that order.
     *
     * @param policies the policies, asked in order
     */
    public static SecurityPolicy all(SecurityPolicy... policies) {
        return SecurityPolicy.all(policies);
    }

    /**
     * {@return a securelevel policy at this level}
     * @param level the initial securelevel
     */
    public static SecureLevel securelevel(int level) {
        return new SecureLevel(level);
    }

    /**
     * {@return a blacklist of these module names}
     * @param modules module names
     */
    public static Blacklist blacklist(String... modules) {
        return Blacklist.of(modules);
    }

    /**
     * {@return signature checking in this mode against these keys, logging what it lets through}
     * @param mode off, warn or enforce
     * @param keys the trusted keys
     */
    public static SignaturePolicy signatures(SignatureMode mode, TrustedKeys keys) {
        return new SignaturePolicy(mode, keys);
    }
}
