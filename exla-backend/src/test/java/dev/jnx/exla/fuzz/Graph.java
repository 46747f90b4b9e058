package dev.jnx.exla.fuzz;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One random program of the fuzzer: parameters {@code v0..v(k-1)} (the inputs), then steps, each
 * one API call over earlier values giving the next value; the outputs are some of the values,
 * or, for a gradient graph, the gradient of the sum of the last value with respect to one
 * input. Applying it to traced parameters traces it; to concrete tensors, runs it eagerly.
 *
 * @param seed      the seed it was generated from (it replays alone from that seed)
 * @param inputs    the concrete arguments
 * @param steps     the calls, in order
 * @param outputs   the values returned (indices into inputs ++ step values)
 * @param gradInput the input differentiated with respect to, or -1 for a forward graph
 * @param refused   the exception class the last step threw eagerly (an "expected error" graph), or null
 */
record Graph(long seed, List<Tensor> inputs, List<Step> steps, int[] outputs, int gradInput, Class<?> refused) {
    /**
     * One API call.
     *
     * @param op       the op's name in the report (Nx's method name, with a variant suffix)
     * @param operands indices of the values it reads
     * @param fn       the call, over those values in order
     * @param text     how it is described in a repro, e.g. {@code sum(axes [1], keep)}
     */
    record Step(String op, int[] operands, Function<Tensor[], Tensor> fn, String text) {
        Tensor apply(List<Tensor> values) {
            Tensor[] args = new Tensor[operands.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(operands[i]);
            }
            return fn.apply(args);
        }
    }

    /** Every value, inputs first: what the outputs index into. */
    List<Tensor> values(List<Tensor> params) {
        List<Tensor> values = new ArrayList<>(params);
        for (Step s : steps) {
            values.add(s.apply(values));
        }
        return values;
    }

    /** The graph's results for {@code params} (traced or concrete). */
    List<Tensor> apply(List<Tensor> params) {
        if (gradInput < 0) {
            List<Tensor> values = values(params);
            return Arrays.stream(outputs).mapToObj(values::get).toList();
        }
        Tensor g = Defn.grad(params.get(gradInput), p -> {
            List<Tensor> ps = new ArrayList<>(params);
            ps.set(gradInput, p);
            List<Tensor> values = values(ps);
            return scalarLoss(values.get(values.size() - 1));
        });
        return List.of(g);
    }

    /** What a gradient graph differentiates: the sum of the real part of a value. */
    static Tensor scalarLoss(Tensor v) {
        return Nx.sum(v.type().isComplex() ? Nx.real(v) : v);
    }

    /** The op of the last step (what an "expected error" graph is counted under). */
    String lastOp() {
        return steps.isEmpty() ? "(none)" : steps.get(steps.size() - 1).op();
    }

    /** A one-line description: inputs' types and shapes, then each step. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            b.append('v').append(i).append(':').append(inputs.get(i).type()).append(inputs.get(i).shape()).append(' ');
        }
        int n = inputs.size();
        for (Step s : steps) {
            b.append("| v").append(n++).append(" = ").append(s.text()).append('(');
            for (int j = 0; j < s.operands().length; j++) {
                b.append(j == 0 ? "v" : ", v").append(s.operands()[j]);
            }
            b.append(") ");
        }
        b.append("| out ").append(gradInput < 0 ? Arrays.toString(outputs) : "grad wrt v" + gradInput + " of sum(v"
                + (n - 1) + ")");
        return b.toString();
    }
}
