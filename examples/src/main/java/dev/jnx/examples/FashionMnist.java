package dev.jnx.examples;

import dev.jnx.exla.Exla;
import dev.jnx.train.Control;
import dev.jnx.train.Event;
import dev.jnx.train.Loop;
import dev.jnx.train.Losses;
import dev.jnx.train.Metrics;
import dev.jnx.train.Model;
import dev.jnx.train.Optimizers;
import dev.jnx.train.Reduction;
import dev.jnx.train.TrainState;
import dev.jnx.train.data.Dataset;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Fashion-MNIST end to end: {@code Loop.trainer(model, loss, adam).run(train, epochs, Exla.compiler())}
 * with a progress bar, then the test accuracy, and {@code fashion-mnist.png} with the loss and
 * accuracy per step and per epoch. Run with {@code ./jnx example fashion-mnist [--model cnn]};
 * the data comes from the Debian package {@code dataset-fashion-mnist}.
 */
@Command(name = "fashion-mnist", mixinStandardHelpOptions = true,
        description = "Trains a classifier of Fashion-MNIST compiled by XLA and plots its curves.")
public final class FashionMnist implements Callable<Integer> {
    @Option(names = "--model", description = "mlp (784-256-128-10) or cnn (two conv+pool blocks); default ${DEFAULT-VALUE}")
    String model = "mlp";

    @Option(names = "--epochs", description = "epochs to train (default: 2 for mlp, 5 for cnn)")
    Integer epochs;

    @Option(names = "--batch", description = "batch size; default ${DEFAULT-VALUE}")
    int batch = 128;

    @Option(names = "--learning-rate", description = "Adam's learning rate; default ${DEFAULT-VALUE}")
    double learningRate = 1e-3;

    @Option(names = "--data", description = "directory of the gzipped IDX files; default ${DEFAULT-VALUE}")
    Path data = dev.jnx.train.data.FashionMnist.DEFAULT_DIR;

    @Option(names = "--plot", description = "where to write the curves; default ${DEFAULT-VALUE}")
    Path plot = Path.of("fashion-mnist.png");

    /** The multi-layer perceptron of the issue: 784-256(relu)-128(relu)-10 logits. */
    static Model mlp() {
        return Model.input(28, 28, 1).flatten().dense(256).relu().dense(128).relu().dense(10);
    }

    /** Two conv(3x3)+relu+max-pool(2x2) blocks of 32 and 64 filters, then 128(relu)-10 logits. */
    static Model cnn() {
        return Model.input(28, 28, 1).conv(32, 3, 3).relu().maxPool(2, 2).conv(64, 3, 3).relu().maxPool(2, 2)
                .flatten().dense(128).relu().dense(10);
    }

    @Override
    public Integer call() throws IOException {
        Model m = switch (model) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--model must be mlp or cnn, got "
                    + model);
        };
        int n = epochs != null ? epochs : model.equals("cnn") ? 5 : 2;
        long t0 = System.nanoTime();
        var trainSplit = dev.jnx.train.data.FashionMnist.load(data, "train");
        var testSplit = dev.jnx.train.data.FashionMnist.load(data, "t10k");
        Dataset train = trainSplit.dataset().shuffle(42).batch(batch, true);
        // 10,000 test images in batches of 128: the last is padded, so metrics are per example.
        Dataset test = testSplit.dataset().batch(batch, false);
        System.out.printf(Locale.ROOT, "Fashion-MNIST: %d training and %d test images (%.1f s to load); %s on %s%n",
                train.size(), test.size(), (System.nanoTime() - t0) / 1e9, m, Exla.compiler().name());

        Curves curves = new Curves();
        long t1 = System.nanoTime();
        TrainState state = Loop.trainer(m, (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, true, Reduction.NONE),
                        Optimizers.adam(learningRate))
                .metric("accuracy", (y, p) -> Metrics.accuracy(y, p, Reduction.NONE))
                .validate(test)
                .handle(Event.ITERATION_COMPLETED, curves::step)
                .handle(Event.EPOCH_COMPLETED, curves::epoch)
                .run(train, n, Exla.compiler());
        double trainSeconds = (System.nanoTime() - t1) / 1e9;

        Map<String, Double> result = Loop.evaluator(m).metric("accuracy", (y, p) -> Metrics.accuracy(y, p, Reduction.NONE))
                .run(test, state.params(), Exla.compiler());
        System.out.printf(Locale.ROOT, "Test accuracy after %d epochs: %.4f (training %.1f s, %.1f s per epoch)%n",
                n, result.get("accuracy"), trainSeconds, trainSeconds / n);
        curves.write(plot, model);
        System.out.println("Wrote " + plot.toAbsolutePath());
        return 0;
    }

    /** The per-step and per-epoch values the plot shows, collected by two handlers. */
    static final class Curves {
        final List<Double> steps = new ArrayList<>();
        final List<Double> batchLoss = new ArrayList<>();
        final List<Double> runningAccuracy = new ArrayList<>();
        final List<Double> epochSteps = new ArrayList<>();
        final List<Double> trainLoss = new ArrayList<>();
        final List<Double> testLoss = new ArrayList<>();
        final List<Double> trainAccuracy = new ArrayList<>();
        final List<Double> testAccuracy = new ArrayList<>();

        /** Reads the step's loss and running accuracy back: the plot asks for every step. */
        Control step(dev.jnx.train.LoopState s) {
            steps.add((double) s.step());
            batchLoss.add(s.batchLoss());
            runningAccuracy.add(s.metrics().get("accuracy"));
            return Control.CONTINUE;
        }

        Control epoch(dev.jnx.train.LoopState s) {
            Map<String, Double> m = s.metrics();
            epochSteps.add((double) s.step());
            trainLoss.add(m.get("loss"));
            testLoss.add(m.get("validation_loss"));
            trainAccuracy.add(m.get("accuracy"));
            testAccuracy.add(m.get("validation_accuracy"));
            return Control.CONTINUE;
        }

        void write(Path path, String model) throws IOException {
            XYChart loss = chart("Fashion-MNIST " + model + ": loss", "cross entropy",
                    org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
            loss.addSeries("batch loss (per step)", steps, batchLoss).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            loss.addSeries("train loss (epoch mean)", epochSteps, trainLoss);
            loss.addSeries("test loss (end of epoch)", epochSteps, testLoss);
            XYChart accuracy = chart("Fashion-MNIST " + model + ": accuracy", "accuracy",
                    org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            accuracy.addSeries("train accuracy (running, per step)", steps, runningAccuracy)
                    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            accuracy.addSeries("train accuracy (epoch)", epochSteps, trainAccuracy);
            accuracy.addSeries("test accuracy (end of epoch)", epochSteps, testAccuracy);
            BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, path.toString(), BitmapEncoder.BitmapFormat.PNG);
        }

        private static XYChart chart(String title, String yTitle, org.knowm.xchart.style.Styler.LegendPosition legend) {
            XYChart c = new XYChartBuilder().width(700).height(450).title(title).xAxisTitle("step").yAxisTitle(yTitle)
                    .build();
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            c.getStyler().setLegendPosition(legend);
            c.getStyler().setXAxisMaxLabelCount(10);
            c.getStyler().setXAxisDecimalPattern("#");
            return c;
        }
    }

    /** Parses the options and trains. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new FashionMnist()).execute(args));
    }
}
