package dev.jnx.exla;

/**
 * An SSA value of the function being built: its name ({@code %3}, {@code %arg0}) and type.
 *
 * @param name the SSA name, with its {@code %}
 * @param type the tensor type
 */
record Value(String name, TensorType type) {
    @Override
    public String toString() {
        return name;
    }
}
