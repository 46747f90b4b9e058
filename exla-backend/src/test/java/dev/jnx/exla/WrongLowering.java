package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.Executable;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;

/**
 * A test-only compiler with a deliberately wrong lowering: Exla's module with one op's text
 * replaced by another's (e.g. every {@code stablehlo.add} made a {@code stablehlo.subtract}),
 * compiled and run as Exla does. What the validating compiler and the fuzzer must catch.
 */
public final class WrongLowering {
    private WrongLowering() {
    }

    /** Exla with every {@code op} in the module text written as {@code instead}. */
    public static Compiler of(String op, String instead) {
        ExlaCompiler exla = Exla.compiler();
        return new Compiler() {
            @Override
            public Executable compile(TracedFunction f) {
                String wrong = StableHlo.lower(f).replace(op, instead);
                return new ExlaExecutable(f, java.util.List.of(), wrong, exla.compileModule(StableHlo.moduleName(f.name()), wrong,
                        CompileOptions.singleDevice(exla.device().id())), exla.backend(), exla.outputPlacement());
            }

            @Override
            public String name() {
                return "exla(cpu, " + op + " lowered as " + instead + ")";
            }
        };
    }
}
