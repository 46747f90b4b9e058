/**
 * Panama bindings to the PJRT C API: plugins, clients, devices, buffers and loaded executables.
 * Its downcalls are restricted methods: run with {@code --enable-native-access=dev.jnx.xla}
 * (or {@code ALL-UNNAMED} from the class path).
 */
module dev.jnx.xla {
    exports dev.jnx.xla;
}
