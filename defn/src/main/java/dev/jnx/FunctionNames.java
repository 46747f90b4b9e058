package dev.jnx;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Names a user's function for messages, warnings and module names, as a user recognises it.
 * A serializable lambda or method reference (every one passed to {@code Defn.jit} as one of
 * jnx's functional interfaces) tells its implementation method ({@link SerializedLambda}): a
 * method reference is named by its target ({@code Softmax.softmax}, {@code Nx.exp}), a lambda by
 * the method it is written in ({@code lambda in Train.main}). Other lambdas expose only their
 * defining class, so when jitted their name adds where: {@code lambda of Train, jitted in
 * Train.main(Train.java:42)}. Other objects are named by their class.
 */
final class FunctionNames {
    private FunctionNames() {
    }

    /** The name of {@code f} as jitted by the caller: a lambda known only by its class gets the call site. */
    static String jitted(Object f) {
        return name(f, true);
    }

    /** The name of {@code f}, without a call site. */
    static String of(Object f) {
        return name(f, false);
    }

    private static String name(Object f, boolean withCallSite) {
        Class<?> c = f.getClass();
        Optional<SerializedLambda> lambda = serializedForm(f);
        if (lambda.isPresent()) {
            SerializedLambda l = lambda.get();
            String owner = l.getImplClass().substring(l.getImplClass().lastIndexOf('/') + 1);
            String method = l.getImplMethodName();
            if (l.getImplMethodKind() == MethodHandleInfo.REF_newInvokeSpecial) {
                return owner + ".new";
            }
            // javac's lambda bodies are lambda$<enclosing method>$<counter> (serializable ones add a hash).
            return method.startsWith("lambda$") ? "lambda in " + owner + "." + method.split("\\$")[1] : owner + "." + method;
        }
        boolean isLambda = c.isHidden() && c.getName().contains("$$Lambda");
        if (!isLambda && !c.isAnonymousClass()) {
            return c.getSimpleName();
        }
        String name = c.getName();
        String owner = name.substring(name.lastIndexOf('.') + 1, isLambda ? name.indexOf("$$Lambda") : name.length());
        return (isLambda ? "lambda of " : "") + owner + (withCallSite ? callSite() : "");
    }

    /** The lambda's serialized form, which names its implementation method, if it is serializable and readable. */
    private static Optional<SerializedLambda> serializedForm(Object f) {
        if (!(f instanceof Serializable)) {
            return Optional.empty();
        }
        try {
            Method writeReplace = f.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(f) instanceof SerializedLambda l ? Optional.of(l) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not a lambda, or one in a module that does not open it to jnx: named another way.
            return Optional.empty();
        }
    }

    /** {@code ", jitted in Train.main(Train.java:42)"}: the first caller outside jnx's jit entry points. */
    private static String callSite() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(fr -> {
                    Class<?> host = fr.getDeclaringClass().getNestHost();
                    return host != FunctionNames.class && host != Defn.class && host != Jitted.class;
                })
                .findFirst()
                .map(fr -> ", jitted in " + fr.getDeclaringClass().getSimpleName() + "." + fr.getMethodName()
                        + "(" + fr.getFileName() + ":" + fr.getLineNumber() + ")")
                .orElse(""));
    }
}
