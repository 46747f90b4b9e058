package dev.jnx.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The loops' default display: a progress bar per epoch (step/steps, running loss and metrics,
 * examples/s, ETA) on a terminal; on anything else (a log, a pipe) the same as a plain line
 * every 15 s. A summary line per epoch either way.
 */
final class Progress {
    /** How often the bar's message is refreshed; each refresh reads the running metrics from the device. */
    private static final long MESSAGE_NANOS = 250_000_000L;
    /** How often a plain line is printed when the output is not a terminal. */
    private static final long LINE_NANOS = 15_000_000_000L;

    private final String verb;
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private long lastMessage;
    private long epochStart;

    Progress(String verb, PrintStream out) {
        this.verb = verb;
        this.out = out;
        java.io.Console console = System.console();
        this.terminal = out == System.err && console != null && console.isTerminal();
    }

    void epochStarted(LoopState s) {
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label(s)).setInitialMax(s.iterations())
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).build();
        }
        lastMessage = System.nanoTime();
        epochStart = lastMessage;
    }

    void iterationCompleted(LoopState s) {
        long now = System.nanoTime();
        if (terminal) {
            bar.stepTo(s.iteration());
            if (now - lastMessage >= MESSAGE_NANOS) {
                bar.setExtraMessage(message(s.metrics(), s.examplesPerSecond()));
                lastMessage = now;
            }
        } else if (now - lastMessage >= LINE_NANOS) {
            double eta = (s.iterations() - s.iteration()) * ((now - epochStart) / 1e9) / Math.max(s.iteration(), 1);
            out.println(String.format(Locale.ROOT, "%s %d/%d: ", label(s), s.iteration(), s.iterations())
                    + message(s.metrics(), s.examplesPerSecond()) + String.format(Locale.ROOT, ", ETA %.0f s", eta));
            lastMessage = now;
        }
    }

    void epochCompleted(LoopState s) {
        Map<String, Double> m = s.metrics();
        if (terminal) {
            bar.setExtraMessage(message(m, s.examplesPerSecond()));
            bar.close();
        }
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
