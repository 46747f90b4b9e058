package dev.jnx.defn;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * A record class's component accessors and canonical constructor, looked up (and made
 * accessible) once per class: {@link Tree} reads and rebuilds records on every jitted call,
 * and {@code Class.getRecordComponents()} builds new reflection objects each time it is asked.
 */
final class RecordAccess {
    private static final ClassValue<RecordAccess> BY_CLASS = new ClassValue<>() {
        @Override
        protected RecordAccess computeValue(Class<?> type) {
            return new RecordAccess(type);
        }
    };

    private final Class<?> type;
    private final String[] names;
    private final Method[] accessors;
    private final Constructor<?> constructor;
    private final RuntimeException inaccessible;

    private RecordAccess(Class<?> type) {
        this.type = type;
        RecordComponent[] rc = type.getRecordComponents();
        names = new String[rc.length];
        accessors = new Method[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            names[i] = rc[i].getName();
            accessors[i] = rc[i].getAccessor();
            types[i] = rc[i].getType();
        }
        Constructor<?> ctor = null;
        RuntimeException failure = null;
        try {
            for (Method m : accessors) {
                m.setAccessible(true);
            }
            ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = new IllegalArgumentException("cannot read or rebuild record " + type.getName()
                    + " (is its package open to jnx?): " + e, e);
        }
        constructor = ctor;
        inaccessible = failure;
    }

    /** The access of record class {@code type}. */
    static RecordAccess of(Class<?> type) {
        return BY_CLASS.get(type);
    }

    /** The component names, in declaration order. */
    String name(int component) {
        return names[component];
    }

    /** The components' values of {@code r}, in declaration order. */
    Object[] components(Record r) {
        if (inaccessible != null) {
            throw inaccessible;
        }
        Object[] values = new Object[accessors.length];
        for (int i = 0; i < accessors.length; i++) {
            try {
                values[i] = accessors[i].invoke(r);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read component " + names[i] + " of " + type.getName()
                        + ": " + e, e);
            }
        }
        return values;
    }

    /** A new record from component values in declaration order. */
    Object construct(Object[] values) {
        if (inaccessible != null) {
            throw inaccessible;
        }
        try {
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot rebuild record " + type.getName() + ": " + e, e);
        }
    }
}
