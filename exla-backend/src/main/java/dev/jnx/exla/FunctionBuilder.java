package dev.jnx.exla;

import java.util.List;
import java.util.Map;

/**
 * A small typed builder for one StableHLO module holding a single {@code @main} function: each
 * method appends one op in MLIR's pretty syntax and returns the SSA {@link Value} it defines.
 * The builder checks nothing beyond what it needs to print; the lowering supplies the types.
 */
final class FunctionBuilder {
    private static final String INDENT = "    ";

    private final StringBuilder body = new StringBuilder(1024);
    private final String moduleName;
    private final List<TensorType> parameterTypes;
    private int next;

    /** A builder for {@code module @moduleName} whose {@code @main} takes the given parameters. */
    FunctionBuilder(String moduleName, List<TensorType> parameterTypes) {
        this.moduleName = moduleName;
        this.parameterTypes = List.copyOf(parameterTypes);
    }

    /** The {@code i}-th function argument, {@code %arg<i>}. */
    Value argument(int i) {
        return new Value("%arg" + i, parameterTypes.get(i));
    }

    /** {@code stablehlo.constant dense<literal>}; {@code literal} is what goes between the angle brackets. */
    Value constant(String literal, TensorType type) {
        return emit(type, "stablehlo.constant dense<" + literal + "> : " + type);
    }

    /** {@code stablehlo.iota}: the index along {@code dim}. */
    Value iota(int dim, TensorType type) {
        return emit(type, "stablehlo.iota dim = " + dim + " : " + type);
    }

    /** An element-wise op of one operand whose result type is the operand's ({@code stablehlo.negate}, ...). */
    Value unary(String op, Value x) {
        return emit(x.type(), op + " " + x + " : " + x.type());
    }

    /** An element-wise op of two operands of one type, giving that type ({@code stablehlo.add}, ...). */
    Value binary(String op, Value a, Value b) {
        return emit(a.type(), op + " " + a + ", " + b + " : " + a.type());
    }

    /** {@code stablehlo.compare}: an {@code i1} tensor; direction EQ..GE, type FLOAT/SIGNED/UNSIGNED. */
    Value compare(String direction, String comparisonType, Value a, Value b) {
        TensorType result = a.type().withElement("i1");
        return emit(result, "stablehlo.compare " + direction + ", " + a + ", " + b + ", " + comparisonType
                + " : (" + a.type() + ", " + b.type() + ") -> " + result);
    }

    /** {@code stablehlo.select}: {@code onTrue} where the {@code i1} predicate holds, else {@code onFalse}. */
    Value select(Value pred, Value onTrue, Value onFalse) {
        return generic("stablehlo.select", List.of(pred, onTrue, onFalse), "", onTrue.type());
    }

    /** {@code stablehlo.convert} to another element type. */
    Value convert(Value x, TensorType type) {
        return emit(type, "stablehlo.convert " + x + " : (" + x.type() + ") -> " + type);
    }

    /** {@code stablehlo.reshape} to another shape of equal size. */
    Value reshape(Value x, TensorType type) {
        return emit(type, "stablehlo.reshape " + x + " : (" + x.type() + ") -> " + type);
    }

    /** {@code stablehlo.transpose}: result dimension i is operand dimension {@code permutation[i]}. */
    Value transpose(Value x, int[] permutation, TensorType type) {
        return emit(type, "stablehlo.transpose " + x + ", dims = " + list(permutation)
                + " : (" + x.type() + ") -> " + type);
    }

    /** {@code stablehlo.broadcast_in_dim}: operand dimension i maps to result dimension {@code dims[i]}. */
    Value broadcastInDim(Value x, int[] dims, TensorType type) {
        return emit(type, "stablehlo.broadcast_in_dim " + x + ", dims = " + list(dims)
                + " : (" + x.type() + ") -> " + type);
    }

    /** {@code stablehlo.dot_general}; an empty batching pair is left out of the text. */
    Value dotGeneral(Value a, Value b, int[] batchA, int[] batchB, int[] contractA, int[] contractB,
                     TensorType type) {
        StringBuilder s = new StringBuilder("stablehlo.dot_general ").append(a).append(", ").append(b);
        if (batchA.length > 0) {
            s.append(", batching_dims = ").append(list(batchA)).append(" x ").append(list(batchB));
        }
        s.append(", contracting_dims = ").append(list(contractA)).append(" x ").append(list(contractB))
                .append(" : (").append(a.type()).append(", ").append(b.type()).append(") -> ").append(type);
        return emit(type, s.toString());
    }

    /**
     * {@code stablehlo.reduce} in its compact form: folds {@code dims} of {@code x} with the
     * scalar op {@code op} ({@code stablehlo.add}, ...) starting from the scalar {@code init}.
     */
    Value reduce(Value x, Value init, String op, int[] dims, TensorType type) {
        return emit(type, "stablehlo.reduce(" + x + " init: " + init + ") applies " + op + " across dimensions = "
                + list(dims) + " : (" + x.type() + ", " + init.type() + ") -> " + type);
    }

    /**
     * Any op in MLIR's generic syntax without regions:
     * {@code "op"(operands) {attributes} : (operand types) -> result}; {@code attributes} may be empty.
     */
    Value generic(String op, List<Value> operands, String attributes, TensorType result) {
        StringBuilder s = new StringBuilder("\"").append(op).append("\"(");
        for (int i = 0; i < operands.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(operands.get(i));
        }
        s.append(')');
        if (!attributes.isEmpty()) {
            s.append(' ').append(attributes);
        }
        s.append(" : (").append(types(operands)).append(") -> ").append(result);
        return emit(result, s.toString());
    }

    /** The body of one region: given its block arguments, emits its ops and returns the values it yields. */
    interface RegionBody {
        /** Emits the region's ops; returns what {@code stablehlo.return} yields. */
        List<Value> emit(List<Value> arguments);
    }

    /** A region to emit: its block argument types and its body. */
    record Region(List<TensorType> argumentTypes, RegionBody body) {
    }

    /**
     * An op with regions in MLIR's generic syntax, e.g. {@code "stablehlo.while"(...) ({...}, {...})}:
     * each region's ops are emitted in place between the op's header and its type signature.
     */
    List<Value> regionOp(String op, List<Value> operands, List<TensorType> resultTypes, List<Region> regions) {
        return regionOp(op, operands, resultTypes, regions, "");
    }

    /**
     * {@link #regionOp(String, List, List, List)} with an attribute dictionary written after the
     * regions, e.g. {@code {window_dimensions = array<i64: 2>}}; empty for none.
     */
    List<Value> regionOp(String op, List<Value> operands, List<TensorType> resultTypes, List<Region> regions,
                         String attributes) {
        String name = "%" + next++;
        StringBuilder header = new StringBuilder(INDENT).append(name);
        if (resultTypes.size() != 1) {
            header.append(':').append(resultTypes.size());
        }
        header.append(" = \"").append(op).append("\"(");
        for (int i = 0; i < operands.size(); i++) {
            header.append(i == 0 ? "" : ", ").append(operands.get(i));
        }
        body.append(header).append(") (");
        for (int r = 0; r < regions.size(); r++) {
            Region region = regions.get(r);
            body.append(r == 0 ? "{\n" : ", {\n");
            List<Value> args = new java.util.ArrayList<>();
            if (!region.argumentTypes().isEmpty()) {
                body.append(INDENT).append("^bb0(");
                for (int i = 0; i < region.argumentTypes().size(); i++) {
                    Value a = new Value("%" + next++, region.argumentTypes().get(i));
                    args.add(a);
                    body.append(i == 0 ? "" : ", ").append(a).append(": ").append(a.type());
                }
                body.append("):\n");
            }
            List<Value> yielded = region.body().emit(args);
            body.append(INDENT).append("\"stablehlo.return\"(");
            for (int i = 0; i < yielded.size(); i++) {
                body.append(i == 0 ? "" : ", ").append(yielded.get(i));
            }
            body.append(") : (").append(types(yielded)).append(") -> ()\n").append(INDENT).append('}');
        }
        body.append(")").append(attributes.isEmpty() ? "" : " " + attributes)
                .append(" : (").append(types(operands)).append(") -> (");
        for (int i = 0; i < resultTypes.size(); i++) {
            body.append(i == 0 ? "" : ", ").append(resultTypes.get(i));
        }
        body.append(")\n");
        List<Value> results = new java.util.ArrayList<>(resultTypes.size());
        for (int i = 0; i < resultTypes.size(); i++) {
            results.add(new Value(resultTypes.size() == 1 ? name : name + "#" + i, resultTypes.get(i)));
        }
        return results;
    }

    private static String types(List<Value> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(values.get(i).type());
        }
        return s.toString();
    }

    /**
     * How one module is split over devices by XLA's SPMD partitioner: the number of partitions
     * and each parameter's and result's {@code mhlo.sharding} attribute value.
     */
    record Partitioning(int partitions, List<String> parameters, List<String> results) {
        /** One device: no sharding attributes. */
        static final Partitioning NONE = new Partitioning(1, List.of(), List.of());
    }

    /**
     * The whole module text, with {@code results} returned from {@code @main}; {@code donated}
     * maps donated parameters to the output each may become, or -1 for none.
     */
    String finish(List<Value> results, Map<Integer, Integer> donated, Partitioning partitioning) {
        StringBuilder m = new StringBuilder(body.length() + 256);
        m.append("module @").append(moduleName);
        if (partitioning.partitions() > 1) {
            m.append(" attributes {mhlo.num_partitions = ").append(partitioning.partitions()).append(" : i32}");
        }
        m.append(" {\n  func.func public @main(");
        for (int i = 0; i < parameterTypes.size(); i++) {
            m.append(i == 0 ? "" : ", ").append("%arg").append(i).append(": ").append(parameterTypes.get(i));
            List<String> attrs = new java.util.ArrayList<>(2);
            Integer alias = donated.get(i);
            if (alias != null) {
                attrs.add(alias >= 0 ? "tf.aliasing_output = " + alias + " : i32" : "jax.buffer_donor = true");
            }
            if (i < partitioning.parameters().size()) {
                attrs.add("mhlo.sharding = \"" + partitioning.parameters().get(i) + "\"");
            }
            if (!attrs.isEmpty()) {
                m.append(" {").append(String.join(", ", attrs)).append('}');
            }
        }
        m.append(") -> (");
        for (int i = 0; i < results.size(); i++) {
            m.append(i == 0 ? "" : ", ").append(results.get(i).type());
            if (i < partitioning.results().size()) {
                m.append(" {mhlo.sharding = \"").append(partitioning.results().get(i)).append("\"}");
            }
        }
        m.append(") {\n").append(body).append(INDENT).append("return");
        for (int i = 0; i < results.size(); i++) {
            m.append(i == 0 ? " " : ", ").append(results.get(i));
        }
        for (int i = 0; i < results.size(); i++) {
            m.append(i == 0 ? " : " : ", ").append(results.get(i).type());
        }
        return m.append("\n  }\n}\n").toString();
    }

    private Value emit(TensorType type, String op) {
        Value v = new Value("%" + next++, type);
        body.append(INDENT).append(v.name()).append(" = ").append(op).append('\n');
        return v;
    }

    private static String list(int[] xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(xs[i]);
        }
        return s.append(']').toString();
    }
}
