/**
 * A small simulated kernel that modules register with, and the lifecycle handlers that do each
 * module class's registration on INIT and undo it on FINI.
 *
 * <p>{@link dev.kobj.registry.kernel.SimulatedKernel} keeps a system-call table, a device-node
 * namespace, a file-system-type table, an exec-interpreter list and a security-model list. The
 * rule for replaced system calls (lkm(4)'s "returned to its rightful place", made to hold in any
 * unload order) is stated in {@link dev.kobj.registry.kernel.SyscallTable}.
 */
package dev.kobj.registry.kernel;
