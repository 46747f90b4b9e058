/**
 * Models, optimizers, losses, metrics and training loops over jnx ({@code Axon}'s role), and
 * the datasets they read.
 */
module dev.jnx.train {
    requires transitive dev.jnx;
    requires me.tongfei.progressbar;

    exports dev.jnx.train;
    exports dev.jnx.train.data;
    // jit reads and rebuilds the records a loop carries (some private) reflectively.
    opens dev.jnx.train to dev.jnx;
}
