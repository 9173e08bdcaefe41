package dev.kobj.registry;

import dev.kobj.link.LoadedImage;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The default handler of an image in native memory: the module's own code, called through FFM.
 * A module that defines {@code modcmd} (NetBSD: {@code int modcmd(modcmd_t cmd, void *arg)}) gets
 * every command, numbered as NetBSD's {@code modcmd_t} (INIT 0, FINI 1, STAT 2, AUTOUNLOAD 3);
 * a non-zero result refuses, except ENOTTY (25), which means "not handled". Otherwise INIT
 * calls {@code int init_module(void)} (non-zero, a negative errno in Linux, fails the load)
 * and FINI {@code void cleanup_module(void)}; a module without them has nothing to call.
 */
public final class NativeModuleHandler implements ModuleHandler {

    /** NetBSD's ENOTTY: the command is not handled. */
    public static final int ENOTTY = 25;

    /** The shared instance. */
    public static final NativeModuleHandler INSTANCE = new NativeModuleHandler();

    private static final FunctionDescriptor MODCMD = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS);
    private static final FunctionDescriptor INIT = FunctionDescriptor.of(ValueLayout.JAVA_INT);
    private static final FunctionDescriptor EXIT = FunctionDescriptor.ofVoid();

    private NativeModuleHandler() {
    }

    /**
     * {@return the NetBSD {@code modcmd_t} number of {@code c}}
     * @param c a command
     */
    public static int number(ModuleCommand c) {
        return switch (c) {
            case INIT -> 0;
            case FINI -> 1;
            case STAT -> 2;
            case AUTOUNLOAD -> 3;
        };
    }

    @Override
    public void command(ModuleCommand command, ModuleContext context) throws ModuleException {
        LoadedImage image = context.image().orElse(null);
        if (image == null) {
            return;
        }
        try {
            if (image.symbol("modcmd").isPresent()) {
                MethodHandle h = image.function("modcmd", MODCMD);
                int r = (int) h.invokeExact(number(command), MemorySegment.NULL);
                if (r != 0 && r != ENOTTY) {
                    throw new ModuleException(command == ModuleCommand.INIT ? ModuleException.Errno.ENOEXEC
                            : ModuleException.Errno.EBUSY, context.name() + ": modcmd(" + command + ") returned " + r);
                }
                return;
            }
            switch (command) {
                case INIT -> {
                    if (image.symbol("init_module").isPresent()) {
                        int r = (int) image.function("init_module", INIT).invokeExact();
                        if (r != 0) {
                            throw new ModuleException(ModuleException.Errno.ENOEXEC,
                                    context.name() + ": init_module returned " + r);
                        }
                    }
                }
                case FINI -> {
                    if (image.symbol("cleanup_module").isPresent()) {
                        image.function("cleanup_module", EXIT).invokeExact();
                    }
                }
                default -> {
                }
            }
        } catch (ModuleException e) {
            throw e;
        } catch (Throwable t) {
            throw new ModuleException(ModuleException.Errno.ENOEXEC, context.name() + ": " + command + " failed: " + t, t);
        }
    }
}
