package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.jnx.exla.Attribute.i64;
import static dev.jnx.exla.Attribute.i64Array;

/**
 * The builder of one StableHLO module holding a single {@code @main} function, and the one place
 * that spells MLIR (after EXLA's {@code Value} module): each method appends one op and returns the
 * SSA {@link Value}s it defines. Every op is written in MLIR's generic syntax,
 * {@code %3 = "stablehlo.add"(%1, %2) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>}, which
 * parses on any StableHLO version a plugin carries; attributes come from {@link Attribute}'s
 * typed factories. The builder checks nothing beyond what it needs to print: the lowering
 * supplies the types.
 */
final class FunctionBuilder {
    private static final String INDENT = "    ";
    private static final List<Region> NO_REGIONS = List.of();

    /** Element-wise ops of one operand: StableHLO's, and CHLO's, which XLA expands. */
    enum UnaryOp {
        NEGATE, EXPONENTIAL, EXPONENTIAL_MINUS_ONE, LOG, LOG_PLUS_ONE, LOGISTIC, SQRT, RSQRT, CBRT, TANH,
        SINE, COSINE, TAN, ABS, SIGN, CEIL, FLOOR, ROUND_NEAREST_AFZ, NOT, POPCNT, COUNT_LEADING_ZEROS,
        REAL, IMAG,
        ASIN(true), ACOS(true), ATAN(true), SINH(true), COSH(true), ASINH(true), ACOSH(true), ATANH(true),
        ERF(true), ERFC(true), ERF_INV(true);

        private final String mlir;

        UnaryOp() {
            this(false);
        }

        UnaryOp(boolean chlo) {
            mlir = (chlo ? "chlo." : "stablehlo.") + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Element-wise ops of two operands. */
    enum BinaryOp {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, REMAINDER, POWER, ATAN2, MAXIMUM, MINIMUM, AND, OR, XOR,
        SHIFT_LEFT, SHIFT_RIGHT_LOGICAL, SHIFT_RIGHT_ARITHMETIC, COMPLEX;

        private final String mlir = "stablehlo." + name().toLowerCase(Locale.ROOT);
    }

    /** {@code stablehlo.compare}'s {@code comparison_direction}. */
    enum ComparisonDirection { EQ, NE, LT, LE, GT, GE }

    /** {@code stablehlo.compare}'s {@code compare_type}. */
    enum ComparisonType {
        FLOAT, SIGNED, UNSIGNED, TOTALORDER;

        /** How values of type {@code t} compare: FLOAT for floats and complex, else by signedness. */
        static ComparisonType of(DType t) {
            return switch (t.kind()) {
                case FLOAT, BFLOAT, COMPLEX -> FLOAT;
                case SIGNED -> SIGNED;
                case UNSIGNED -> UNSIGNED;
            };
        }
    }

    /** The body of one region: given its block arguments, emits its ops and returns the values it yields. */
    interface RegionBody {
        /** Emits the region's ops; returns what {@code stablehlo.return} yields. */
        List<Value> emit(List<Value> arguments);
    }

    /** A region to emit: its block argument types and its body. */
    record Region(List<TensorType> argumentTypes, RegionBody body) {
    }

    /** An attribute of an op: its name and value. */
    private record Named(String name, Attribute value) {
    }

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

    /** {@code stablehlo.constant} of {@code value}'s elements, bit-exact; a one-element value is splat over {@code type}. */
    Value constant(Tensor value, TensorType type) {
        return constant(Attribute.denseLiteral(value), type);
    }

    /** A constant of {@code type} (of Nx type {@code t}) with every element {@code v}, converted as a cast would. */
    Value splat(double v, DType t, TensorType type) {
        Number n = t.isInteger() ? (Number) (long) v : (Number) v;
        return constant(Tensor.of(Shape.scalar(), t, HostData.scalar(n, t)), type);
    }

    /** An {@code i1} constant of {@code type} holding {@code v} everywhere. */
    Value predicate(boolean v, TensorType type) {
        return constant(Boolean.toString(v), type);
    }

    /** The constant of an empty {@code type} (a dimension is 0). */
    Value empty(TensorType type) {
        return constant("", type);
    }

    private Value constant(String literal, TensorType type) {
        return op("stablehlo.constant", List.of(), type, attr("value", Attribute.dense(literal, type)));
    }

    /** {@code stablehlo.iota}: the index along {@code dim}. */
    Value iota(int dim, TensorType type) {
        return op("stablehlo.iota", List.of(), type, attr("iota_dimension", i64(dim)));
    }

    /** An element-wise op whose result type is the operand's. */
    Value unary(UnaryOp op, Value x) {
        return unary(op, x, x.type());
    }

    /** An element-wise op giving {@code result} ({@code abs}, {@code real}, {@code imag} of a complex operand). */
    Value unary(UnaryOp op, Value x, TensorType result) {
        return op(op.mlir, List.of(x), result);
    }

    /** An element-wise op of two operands of one type, giving that type. */
    Value binary(BinaryOp op, Value a, Value b) {
        return binary(op, a, b, a.type());
    }

    /** An element-wise op of two operands giving {@code result} ({@code complex} of two real parts). */
    Value binary(BinaryOp op, Value a, Value b, TensorType result) {
        return op(op.mlir, List.of(a, b), result);
    }

    /** {@code stablehlo.compare}: an {@code i1} tensor, {@code a direction b} compared as {@code type}. */
    Value compare(ComparisonDirection direction, ComparisonType type, Value a, Value b) {
        return op("stablehlo.compare", List.of(a, b), a.type().withElement("i1"),
                attr("comparison_direction", Attribute.comparisonDirection(direction)),
                attr("compare_type", Attribute.comparisonType(type)));
    }

    /** {@code stablehlo.select}: {@code onTrue} where the {@code i1} predicate holds, else {@code onFalse}. */
    Value select(Value pred, Value onTrue, Value onFalse) {
        return op("stablehlo.select", List.of(pred, onTrue, onFalse), onTrue.type());
    }

    /** {@code stablehlo.convert} to another element type. */
    Value convert(Value x, TensorType type) {
        return op("stablehlo.convert", List.of(x), type);
    }

    /** {@code stablehlo.bitcast_convert}: the same bits read as another element type. */
    Value bitcastConvert(Value x, TensorType type) {
        return op("stablehlo.bitcast_convert", List.of(x), type);
    }

    /** {@code stablehlo.reshape} to another shape of equal size; {@code x} itself when it has {@code type}. */
    Value reshape(Value x, TensorType type) {
        return x.type().equals(type) ? x : op("stablehlo.reshape", List.of(x), type);
    }

    /** {@code stablehlo.transpose}: result dimension i is operand dimension {@code permutation[i]}. */
    Value transpose(Value x, int[] permutation, TensorType type) {
        return op("stablehlo.transpose", List.of(x), type, attr("permutation", i64Array(permutation)));
    }

    /** {@code stablehlo.broadcast_in_dim}: operand dimension i maps to result dimension {@code dims[i]}. */
    Value broadcastInDim(Value x, int[] dims, TensorType type) {
        return op("stablehlo.broadcast_in_dim", List.of(x), type, attr("broadcast_dimensions", i64Array(dims)));
    }

    /** {@code stablehlo.dot_general} over the given batching and contracting dimensions of each operand. */
    Value dotGeneral(Value a, Value b, int[] batchA, int[] batchB, int[] contractA, int[] contractB, TensorType type) {
        return op("stablehlo.dot_general", List.of(a, b), type,
                attr("dot_dimension_numbers", Attribute.dotDimensionNumbers(batchA, batchB, contractA, contractB)));
    }

    /** {@code stablehlo.slice}: elements {@code starts[d]}, {@code + strides[d]}, ... below {@code limits[d]}. */
    Value slice(Value x, int[] starts, int[] limits, int[] strides, TensorType type) {
        return op("stablehlo.slice", List.of(x), type, attr("start_indices", i64Array(starts)),
                attr("limit_indices", i64Array(limits)), attr("strides", i64Array(strides)));
    }

    /** {@code stablehlo.dynamic_slice} of {@code sizes} at the scalar {@code starts}. */
    Value dynamicSlice(Value x, List<Value> starts, int[] sizes, TensorType type) {
        List<Value> operands = new ArrayList<>(starts.size() + 1);
        operands.add(x);
        operands.addAll(starts);
        return op("stablehlo.dynamic_slice", operands, type, attr("slice_sizes", i64Array(sizes)));
    }

    /** {@code stablehlo.dynamic_update_slice}: {@code x} with {@code update} written at the scalar {@code starts}. */
    Value dynamicUpdateSlice(Value x, Value update, List<Value> starts, TensorType type) {
        List<Value> operands = new ArrayList<>(starts.size() + 2);
        operands.add(x);
        operands.add(update);
        operands.addAll(starts);
        return op("stablehlo.dynamic_update_slice", operands, type);
    }

    /** {@code stablehlo.pad} with the scalar {@code value}: edge padding low and high, and interior. */
    Value pad(Value x, Value value, int[] lo, int[] hi, int[] interior, TensorType type) {
        return op("stablehlo.pad", List.of(x, value), type, attr("edge_padding_low", i64Array(lo)),
                attr("edge_padding_high", i64Array(hi)), attr("interior_padding", i64Array(interior)));
    }

    /** {@code stablehlo.concatenate} along {@code dimension}. */
    Value concatenate(List<Value> xs, int dimension, TensorType type) {
        return op("stablehlo.concatenate", xs, type, attr("dimension", i64(dimension)));
    }

    /** {@code stablehlo.reverse} of {@code dims}. */
    Value reverse(Value x, int[] dims, TensorType type) {
        return op("stablehlo.reverse", List.of(x), type, attr("dimensions", i64Array(dims)));
    }

    /** {@code stablehlo.gather} of slices of {@code sliceSizes} at {@code indices}, unsorted. */
    Value gather(Value x, Value indices, int[] offsetDims, int[] collapsedSliceDims, int[] startIndexMap,
                 int indexVectorDim, int[] sliceSizes, TensorType type) {
        return op("stablehlo.gather", List.of(x, indices), type,
                attr("dimension_numbers", Attribute.gatherDimensionNumbers(offsetDims, collapsedSliceDims,
                        startIndexMap, indexVectorDim)),
                attr("slice_sizes", i64Array(sliceSizes)), attr("indices_are_sorted", Attribute.bool(false)));
    }

    /** {@code stablehlo.scatter} of {@code updates} at {@code indices}, combined by {@code combine}; unsorted, not unique. */
    Value scatter(Value x, Value indices, Value updates, Region combine, int[] updateWindowDims,
                  int[] insertedWindowDims, int[] scatterDimsToOperandDims, int indexVectorDim, TensorType type) {
        return op("stablehlo.scatter", List.of(x, indices, updates), List.of(type), List.of(combine),
                attr("scatter_dimension_numbers", Attribute.scatterDimensionNumbers(updateWindowDims,
                        insertedWindowDims, scatterDimsToOperandDims, indexVectorDim)),
                attr("indices_are_sorted", Attribute.bool(false)), attr("unique_indices", Attribute.bool(false))).get(0);
    }

    /**
     * {@code stablehlo.convolution}; {@code input}, {@code kernel} and {@code output} map each
     * role (batch or output feature, feature or input feature, then the spatial axes) to its axis.
     */
    Value convolution(Value x, Value kernel, int[] strides, int[] padLo, int[] padHi, int[] inputDilation,
                      int[] kernelDilation, int[] input, int[] kernelLayout, int[] output, int featureGroups,
                      int batchGroups, TensorType type) {
        return op("stablehlo.convolution", List.of(x, kernel), type, attr("window_strides", i64Array(strides)),
                attr("padding", Attribute.padding(padLo, padHi)), attr("lhs_dilation", i64Array(inputDilation)),
                attr("rhs_dilation", i64Array(kernelDilation)),
                attr("dimension_numbers", Attribute.convDimensionNumbers(input, kernelLayout, output)),
                attr("feature_group_count", i64(featureGroups)), attr("batch_group_count", i64(batchGroups)));
    }

    /** {@code stablehlo.reduce} of {@code dims} of the inputs then initial values in {@code operands}, folded by {@code body}. */
    List<Value> reduce(List<Value> operands, List<TensorType> results, Region body, int[] dims) {
        return op("stablehlo.reduce", operands, results, List.of(body), attr("dimensions", i64Array(dims)));
    }

    /** A region folding two scalars of {@code type} with {@code op}: a reduction or scatter body. */
    Region scalarBody(BinaryOp op, TensorType type) {
        return new Region(List.of(type, type), args -> List.of(binary(op, args.get(0), args.get(1))));
    }

    /** {@code stablehlo.reduce_window} of the inputs then initial values in {@code operands}, folded by {@code body}. */
    List<Value> reduceWindow(List<Value> operands, List<TensorType> results, Region body, int[] window, int[] strides,
                             int[] dilations, int[] padLo, int[] padHi) {
        return op("stablehlo.reduce_window", operands, results, List.of(body),
                attr("window_dimensions", i64Array(window)), attr("window_strides", i64Array(strides)),
                attr("window_dilations", i64Array(dilations)), attr("padding", Attribute.padding(padLo, padHi)));
    }

    /** {@code stablehlo.select_and_scatter}: {@code source} added by {@code scatter} where {@code select} picks in each window. */
    Value selectAndScatter(Value x, Value source, Value init, Region select, Region scatter, int[] window,
                           int[] strides, int[] padLo, int[] padHi, TensorType type) {
        return op("stablehlo.select_and_scatter", List.of(x, source, init), List.of(type), List.of(select, scatter),
                attr("window_dimensions", i64Array(window)), attr("window_strides", i64Array(strides)),
                attr("padding", Attribute.padding(padLo, padHi))).get(0);
    }

    /** {@code stablehlo.sort} of {@code operands} along {@code dimension}, stable, ordered by {@code comparator}. */
    List<Value> sort(List<Value> operands, Region comparator, int dimension) {
        return op("stablehlo.sort", operands, operands.stream().map(Value::type).toList(), List.of(comparator),
                attr("dimension", i64(dimension)), attr("is_stable", Attribute.bool(true)));
    }

    /** {@code stablehlo.map} of the scalar computation {@code fn} over {@code dims} of {@code operands}. */
    Value map(List<Value> operands, Region fn, int[] dims, TensorType type) {
        return op("stablehlo.map", operands, List.of(type), List.of(fn), attr("dimensions", i64Array(dims))).get(0);
    }

    /** {@code stablehlo.while} over the state {@code operands}: {@code body} while {@code condition} yields true. */
    List<Value> whileLoop(List<Value> operands, Region condition, Region body) {
        return op("stablehlo.while", operands, operands.stream().map(Value::type).toList(), List.of(condition, body));
    }

    /** {@code stablehlo.case}: the branch of the scalar i32 {@code index} (the last one when out of range). */
    List<Value> caseOp(Value index, List<TensorType> results, List<Region> branches) {
        return op("stablehlo.case", List.of(index), results, branches);
    }

    /** {@code stablehlo.optimization_barrier} of one value: XLA rewrites nothing across it. */
    Value optimizationBarrier(Value x) {
        return op("stablehlo.optimization_barrier", List.of(x), x.type());
    }

    /** {@code stablehlo.fft} (or inverse) of {@code length} along the last axis. */
    Value fft(Value x, boolean inverse, int length, TensorType type) {
        return op("stablehlo.fft", List.of(x), type, attr("fft_type", Attribute.fftType(inverse)),
                attr("fft_length", i64Array(length)));
    }

    /** {@code stablehlo.cholesky} reading the lower triangle; XLA leaves the other one unspecified. */
    Value cholesky(Value x, TensorType type) {
        return op("stablehlo.cholesky", List.of(x), type, attr("lower", Attribute.bool(true)));
    }

    /** {@code stablehlo.triangular_solve} without a unit diagonal. */
    Value triangularSolve(Value a, Value b, boolean leftSide, boolean lower, boolean transposeA, TensorType type) {
        return op("stablehlo.triangular_solve", List.of(a, b), type, attr("left_side", Attribute.bool(leftSide)),
                attr("lower", Attribute.bool(lower)), attr("transpose_a", Attribute.transpose(transposeA)),
                attr("unit_diagonal", Attribute.bool(false)));
    }

    private static Named attr(String name, Attribute value) {
        return new Named(name, value);
    }

    private Value op(String name, List<Value> operands, TensorType result, Named... attributes) {
        return op(name, operands, List.of(result), NO_REGIONS, attributes).get(0);
    }

    /**
     * Appends {@code %n = "name"(operands) ({regions}) {attributes} : (operand types) -> results},
     * each region's ops emitted in place, and returns the results ({@code %n#i} when several).
     */
    private List<Value> op(String name, List<Value> operands, List<TensorType> results, List<Region> regions,
                           Named... attributes) {
        String id = "%" + next++;
        body.append(INDENT).append(id);
        if (results.size() != 1) {
            body.append(':').append(results.size());
        }
        body.append(" = \"").append(name).append("\"(");
        names(operands);
        body.append(')');
        for (int r = 0; r < regions.size(); r++) {
            region(regions.get(r), r == 0 ? " ({\n" : ", {\n");
        }
        if (!regions.isEmpty()) {
            body.append(')');
        }
        for (int i = 0; i < attributes.length; i++) {
            body.append(i == 0 ? " {" : ", ").append(attributes[i].name()).append(" = ").append(attributes[i].value());
        }
        if (attributes.length > 0) {
            body.append('}');
        }
        body.append(" : (");
        types(operands);
        body.append(") -> ");
        if (results.size() == 1) {
            body.append(results.get(0));
        } else {
            body.append('(');
            for (int i = 0; i < results.size(); i++) {
                body.append(i == 0 ? "" : ", ").append(results.get(i));
            }
            body.append(')');
        }
        body.append('\n');
        if (results.size() == 1) {
            return List.of(new Value(id, results.get(0)));
        }
        List<Value> values = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            values.add(new Value(id + "#" + i, results.get(i)));
        }
        return values;
    }

    /** One region: its block arguments, its ops and the {@code stablehlo.return} of what it yields. */
    private void region(Region region, String open) {
        body.append(open);
        List<Value> args = new ArrayList<>(region.argumentTypes().size());
        if (!region.argumentTypes().isEmpty()) {
            body.append(INDENT).append("^bb0(");
            for (int i = 0; i < region.argumentTypes().size(); i++) {
                Value a = new Value("%" + next++, region.argumentTypes().get(i));
                args.add(a);
                body.append(i == 0 ? "" : ", ").append(a).append(": ").append(a.type());
            }
            body.append("):\n");
        }
        terminator("stablehlo.return", region.body().emit(args));
        body.append(INDENT).append('}');
    }

    private void terminator(String name, List<Value> yielded) {
        body.append(INDENT).append('"').append(name).append("\"(");
        names(yielded);
        body.append(") : (");
        types(yielded);
        body.append(") -> ()\n");
    }

    private void names(List<Value> values) {
        for (int i = 0; i < values.size(); i++) {
            body.append(i == 0 ? "" : ", ").append(values.get(i).name());
        }
    }

    private void types(List<Value> values) {
        for (int i = 0; i < values.size(); i++) {
            body.append(i == 0 ? "" : ", ").append(values.get(i).type());
        }
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
        terminator("func.return", results);
        StringBuilder m = new StringBuilder(body.length() + 256);
        m.append("module @").append(moduleName);
        if (partitioning.partitions() > 1) {
            m.append(" attributes {mhlo.num_partitions = ").append(Attribute.i32(partitioning.partitions())).append('}');
        }
        m.append(" {\n  func.func public @main(");
        for (int i = 0; i < parameterTypes.size(); i++) {
            m.append(i == 0 ? "" : ", ").append("%arg").append(i).append(": ").append(parameterTypes.get(i));
            List<String> attrs = new ArrayList<>(2);
            Integer alias = donated.get(i);
            if (alias != null) {
                attrs.add(alias >= 0 ? "tf.aliasing_output = " + Attribute.i32(alias)
                        : "jax.buffer_donor = " + Attribute.bool(true));
            }
            if (i < partitioning.parameters().size()) {
                attrs.add("mhlo.sharding = " + Attribute.string(partitioning.parameters().get(i)));
            }
            if (!attrs.isEmpty()) {
                m.append(" {").append(String.join(", ", attrs)).append('}');
            }
        }
        m.append(") -> (");
        for (int i = 0; i < results.size(); i++) {
            m.append(i == 0 ? "" : ", ").append(results.get(i).type());
            if (i < partitioning.results().size()) {
                m.append(" {mhlo.sharding = ").append(Attribute.string(partitioning.results().get(i))).append('}');
            }
        }
        return m.append(") {\n").append(body).append("  }\n}\n").toString();
    }
}
