package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Tree;
import dev.jnx.train.Optimizer.Update;

import java.util.ArrayList;
import java.util.List;

/**
 * Composable update transformations ({@code Polaris.Updates}, Optax's transforms): each is an
 * {@link Optimizer} that rewrites the updates flowing through it; {@link #chain} runs several in
 * order. Optimizers are chains of these, e.g. Adam is {@code chain(scaleByAdam(), scaleByLearningRate(lr))}.
 * Stateless transformations have an empty list as their state.
 */
public final class Updates {
    private Updates() {
    }

    /** The state of {@link #scaleByAdam}: first and second moments, and the update count (s32). */
    public record AdamState(Object mu, Object nu, Tensor count) {
    }

    /** The state of {@link #trace}: the momentum buffer. */
    public record TraceState(Object trace) {
    }

    /** The state of {@link #scaleByRms}: the running mean of squared gradients. */
    public record RmsState(Object nu) {
    }

    /** The state of {@link #scaleByRss}: the running sum of squared gradients. */
    public record RssState(Object sumOfSquares) {
    }

    /** The state of {@link #scaleBySchedule}: the update count (s32). */
    public record ScheduleState(Tensor count) {
    }

    /** {@code params + updates}, leaf by leaf, in each parameter's type (Optax's {@code apply_updates}). */
    public static <T> T applyUpdates(T params, Object updates) {
        return Tree.zip(params, updates, (p, u) -> Nx.asType(Nx.add(p, u), p.type()));
    }

    /** The transformations in order, each fed the previous one's updates; the state is the list of their states. */
    public static Optimizer chain(Optimizer... transformations) {
        List<Optimizer> steps = List.of(transformations);
        return new Optimizer() {
            @Override
            public Object init(Object params) {
                List<Object> states = new ArrayList<>(steps.size());
                for (Optimizer o : steps) {
                    states.add(o.init(params));
                }
                return states;
            }

            @Override
            public Update update(Object gradients, Object state, Object params) {
                List<?> states = (List<?>) state;
                Object updates = gradients;
                List<Object> next = new ArrayList<>(steps.size());
                for (int i = 0; i < steps.size(); i++) {
                    Update u = steps.get(i).update(updates, states.get(i), params);
                    updates = u.updates();
                    next.add(u.state());
                }
                return new Update(updates, next);
            }
        };
    }

    /** Multiplies updates by {@code factor}. */
    public static Optimizer scale(double factor) {
        return stateless((u, p) -> Tree.map(u, g -> Nx.multiply(g, factor)));
    }

    /** Descends: multiplies updates by {@code -learningRate}. */
    public static Optimizer scaleByLearningRate(double learningRate) {
        return scale(-learningRate);
    }

    /** Descends with a schedule: multiplies update {@code n} by {@code -schedule(n)}. */
    public static Optimizer scaleByLearningRate(Schedule learningRate) {
        return scaleBySchedule(count -> Nx.negate(learningRate.at(count)));
    }

    /** Multiplies update {@code n} (from 0) by {@code schedule(n)}. */
    public static Optimizer scaleBySchedule(Schedule schedule) {
        return stateful(params -> new ScheduleState(Nx.scalar(0)), (gradients, state, params) -> {
            Tensor count = ((ScheduleState) state).count();
            Tensor step = schedule.at(count);
            return new Update(Tree.map(gradients, g -> Nx.multiply(g, Nx.asType(step, g.type()))),
                    new ScheduleState(Nx.add(count, 1)));
        });
    }

    /**
     * Adam's scaling (Kingma and Ba): bias-corrected moment estimates,
     * {@code mu^ / (sqrt(nu^) + eps)} with {@code mu = b1 mu + (1 - b1) g},
     * {@code nu = b2 nu + (1 - b2) g^2}.
     */
    public static Optimizer scaleByAdam(double b1, double b2, double eps) {
        return stateful(params -> new AdamState(zerosLike(params), zerosLike(params), Nx.scalar(0)),
                (gradients, state, params) -> {
                AdamState s = (AdamState) state;
                Object mu = Tree.zip(s.mu(), gradients, (m, g) -> Nx.add(Nx.multiply(m, b1), Nx.multiply(g, 1 - b1)));
                Object nu = Tree.zip(s.nu(), gradients, (v, g) -> Nx.add(Nx.multiply(v, b2),
                        Nx.multiply(Nx.multiply(g, g), 1 - b2)));
                Tensor count = Nx.add(s.count(), 1);
                Tensor t = Nx.asType(count, DType.F32);
                Tensor c1 = Nx.subtract(1f, Nx.pow(Nx.scalar((float) b1), t));
                Tensor c2 = Nx.subtract(1f, Nx.pow(Nx.scalar((float) b2), t));
                Object updates = Tree.zip(mu, nu, (m, v) -> {
                    Tensor mHat = Nx.divide(m, Nx.asType(c1, m.type()));
                    Tensor vHat = Nx.divide(v, Nx.asType(c2, v.type()));
                    return Nx.divide(mHat, Nx.add(Nx.sqrt(vHat), eps));
                });
                return new Update(updates, new AdamState(mu, nu, count));
            });
    }

    /** {@link #scaleByAdam(double, double, double)} with Adam's defaults: 0.9, 0.999, 1e-8. */
    public static Optimizer scaleByAdam() {
        return scaleByAdam(0.9, 0.999, 1e-8);
    }

    /**
     * RMSProp's scaling: {@code g / sqrt(nu + eps)} with {@code nu = decay nu + (1 - decay) g^2}
     * starting from 0 (Optax's {@code scale_by_rms}).
     */
    public static Optimizer scaleByRms(double decay, double eps) {
        return stateful(params -> new RmsState(zerosLike(params)), (gradients, state, params) -> {
            Object nu = Tree.zip(((RmsState) state).nu(), gradients,
                    (v, g) -> Nx.add(Nx.multiply(v, decay), Nx.multiply(Nx.multiply(g, g), 1 - decay)));
            return new Update(Tree.zip(gradients, nu, (g, v) -> Nx.multiply(g, Nx.rsqrt(Nx.add(v, eps)))),
                    new RmsState(nu));
        });
    }

    /**
     * Adagrad's scaling: {@code g / sqrt(s + eps)} with {@code s} the sum of squared gradients
     * so far, starting at {@code initialAccumulator} (Optax's {@code scale_by_rss}; 0 where s is 0).
     */
    public static Optimizer scaleByRss(double initialAccumulator, double eps) {
        return stateful(params -> new RssState(Tree.map(params, p -> Nx.add(Nx.multiply(p, 0), initialAccumulator))),
                (gradients, state, params) -> {
                    Object sum = Tree.zip(((RssState) state).sumOfSquares(), gradients,
                            (s, g) -> Nx.add(s, Nx.multiply(g, g)));
                    Object updates = Tree.zip(gradients, sum, (g, s) -> Nx.select(Nx.greater(s, 0),
                            Nx.multiply(g, Nx.rsqrt(Nx.add(s, eps))), Nx.multiply(g, 0)));
                    return new Update(updates, new RssState(sum));
                });
    }

    /**
     * Momentum ({@code trace}): {@code t = g + decay t}; the update is {@code t}, or with
     * {@code nesterov} {@code g + decay t}.
     */
    public static Optimizer trace(double decay, boolean nesterov) {
        return stateful(params -> new TraceState(zerosLike(params)), (gradients, state, params) -> {
            Object t = Tree.zip(gradients, ((TraceState) state).trace(), (g, old) -> Nx.add(g, Nx.multiply(old, decay)));
            Object updates = nesterov ? Tree.zip(gradients, t, (g, n) -> Nx.add(g, Nx.multiply(n, decay))) : t;
            return new Update(updates, new TraceState(t));
        });
    }

    /** Decoupled weight decay: adds {@code decay * params} to the updates (AdamW's and LAMB's). */
    public static Optimizer addDecayedWeights(double decay) {
        return stateless((updates, params) -> Tree.zip(updates, params, (u, p) -> Nx.add(u, Nx.multiply(p, decay))));
    }

    /**
     * LAMB's layer-wise trust ratio: scales each leaf's update by {@code ||p|| / ||u||}, both norms
     * at least {@code minNorm}; a zero norm leaves the update as it is.
     */
    public static Optimizer scaleByTrustRatio(double minNorm) {
        return stateless((updates, params) -> Tree.zip(updates, params, (u, p) -> {
            Tensor pn = Nx.max(norm(p), minNorm);
            Tensor un = Nx.max(norm(u), minNorm);
            Tensor ratio = Nx.select(Nx.logicalOr(Nx.equal(pn, 0), Nx.equal(un, 0)), Nx.scalar(1, pn.type()),
                    Nx.divide(pn, un));
            return Nx.multiply(u, ratio);
        }));
    }

    /** Clips every update element to {@code [-delta, delta]}. */
    public static Optimizer clip(double delta) {
        return stateless((u, p) -> Tree.map(u, g -> Nx.clip(g, -delta, delta)));
    }

    /**
     * Rescales all updates together so that their global L2 norm (over every leaf) is at most
     * {@code maxNorm}; updates already within it pass unchanged.
     */
    public static Optimizer clipByGlobalNorm(double maxNorm) {
        return stateless((u, p) -> {
            Tensor squares = Nx.scalar(0f);
            for (Tensor g : Tree.leaves(u)) {
                squares = Nx.add(squares, Nx.asType(Nx.sum(Nx.multiply(g, g)), DType.F32));
            }
            Tensor globalNorm = Nx.sqrt(squares);
            Tensor within = Nx.less(globalNorm, maxNorm);
            return Tree.map(u, g -> Nx.select(within, g,
                    Nx.multiply(g, Nx.asType(Nx.divide(maxNorm, globalNorm), g.type()))));
        });
    }

    static Object zerosLike(Object params) {
        return Tree.map(params, p -> Nx.multiply(p, 0));
    }

    private static Tensor norm(Tensor x) {
        return Nx.sqrt(Nx.sum(Nx.multiply(x, x)));
    }

    /** The update rule of a transformation. */
    private interface Rule {
        Update apply(Object gradients, Object state, Object params);
    }

    /** A transformation from its two functions: Polaris's {@code {init_fn, update_fn}} pair. */
    private static Optimizer stateful(java.util.function.UnaryOperator<Object> init, Rule rule) {
        return new Optimizer() {
            @Override
            public Object init(Object params) {
                return init.apply(params);
            }

            @Override
            public Update update(Object gradients, Object state, Object params) {
                return rule.apply(gradients, state, params);
            }
        };
    }

    /** A transformation without state (an empty list) from {@code f(updates, params)}. */
    private static Optimizer stateless(java.util.function.BinaryOperator<Object> f) {
        return stateful(params -> List.of(), (gradients, state, params) -> new Update(f.apply(gradients, params), state));
    }
}
