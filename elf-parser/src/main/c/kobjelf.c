/*
 * libkobjelf: the one native method of dev.kobj.elf.NativeReads, for a JVM that can load it
 * (the kobjdump launcher names it with -Ddev.kobj.elf.jni=PATH).
 *
 * It does what NativeReads' FFM downcall of the C library's syscall(2) does, and answers the
 * same: the system call's result, -1 on an error (errno is not looked at). A JNI method is
 * bound by name when it is first called; the FFM downcall makes a stub class and some dozens of
 * method-handle forms in a cold JVM first (25-28 ms of a kobjdump stats start, on the main
 * thread, before the walk can list a directory).
 *
 * array, when not NULL, is pinned for the call (GetPrimitiveArrayCritical: the kernel writes
 * into the Java array itself, as the FFM critical downcall with heap access lets it); the
 * system call then takes the address of array[offset] in the place of its pointer argument.
 * The Java side has checked offset and length against the array. When array is NULL the
 * pointer argument is 0 (lseek's offset, close's unused word).
 *
 * Built by elf-parser/src/build/JniLibrary.java: cc -O2 -shared -fPIC with the JDK's jni.h.
 */
#include <jni.h>
#include <unistd.h>

JNIEXPORT jlong JNICALL Java_dev_kobj_elf_NativeReads_syscall(JNIEnv *env, jclass cls, jlong number, jlong a,
        jbyteArray array, jint offset, jlong b, jlong c) {
    (void) cls;
    if (array == NULL) {
        return syscall((long) number, (long) a, (void *) 0, (long) b, (long) c);
    }
    jbyte *base = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
    if (base == NULL) {
        return -1;
    }
    long r = syscall((long) number, (long) a, (void *) (base + offset), (long) b, (long) c);
    /* Mode 0: a JVM that gave a copy rather than the array copies the bytes read back
       (HotSpot pins and copies nothing). */
    (*env)->ReleasePrimitiveArrayCritical(env, array, base, 0);
    return r;
}
