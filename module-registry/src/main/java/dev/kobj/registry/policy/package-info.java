/**
 * The {@link dev.kobj.registry.SecurityPolicy} implementations: signature enforcement
 * ({@link dev.kobj.registry.policy.SignaturePolicy}), FreeBSD/NetBSD securelevel
 * ({@link dev.kobj.registry.policy.SecureLevel}) and a module blacklist
 * ({@link dev.kobj.registry.policy.Blacklist}), combined with {@link dev.kobj.registry.policy.Policies#all}.
 *
 * <p>Every policy is thread-safe: the registry consults one policy from many threads.
 */
package dev.kobj.registry.policy;
