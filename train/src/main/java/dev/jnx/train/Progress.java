package dev.jnx.train;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The loops' default display: a progress bar per epoch (step/steps, running loss and metrics,
 * examples/s, ETA) on a terminal; on anything else the same as a plain line every 15 s, and a
 * summary line per epoch either way.
 */
final class Progress {
    /** How often the bar's message is refreshed; each refresh reads the running metrics from the device. */
    private static final long MESSAGE_NANOS = 250_000_000L;

    private final String verb;
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private long lastMessage;

    Progress(String verb, PrintStream out) {
        this.verb = verb;
        this.out = out;
        java.io.Console console = System.console();
        this.terminal = out == System.err && console != null && console.isTerminal();
    }

    void epochStarted(LoopState s) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(label(s)).setInitialMax(s.iterations())
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII);
        bar = (terminal ? b.setUpdateIntervalMillis(200)
                : b.setUpdateIntervalMillis(15_000).setConsumer(new DelegatingProgressBarConsumer(out::println))).build();
        lastMessage = System.nanoTime();
    }

    void iterationCompleted(LoopState s) {
        bar.stepTo(s.iteration());
        long now = System.nanoTime();
        if (now - lastMessage >= MESSAGE_NANOS) {
            bar.setExtraMessage(message(s.metrics(), s.examplesPerSecond()));
            lastMessage = now;
        }
    }

    void epochCompleted(LoopState s) {
        Map<String, Double> m = s.metrics();
        bar.setExtraMessage(message(m, s.examplesPerSecond()));
        bar.close();
        out.println(label(s) + ": " + message(m, s.examplesPerSecond()));
    }

    private String label(LoopState s) {
        return s.epochs() > 0 ? String.format(Locale.ROOT, "%s %d/%d", verb, s.epoch() + 1, s.epochs()) : verb;
    }

    static String message(Map<String, Double> metrics, double examplesPerSecond) {
        StringJoiner j = new StringJoiner(" ");
        metrics.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s %.4f", k, v)));
        return j + String.format(Locale.ROOT, " | %.0f ex/s", examplesPerSecond);
    }
}
