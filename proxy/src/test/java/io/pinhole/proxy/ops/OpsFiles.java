package io.pinhole.proxy.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The alert rules and the dashboard under {@code ops/}, and the metric names they use. */
final class OpsFiles {

    static final Path ALERTS = Path.of("..", "ops", "prometheus", "alerts.yml");
    static final Path DASHBOARD = Path.of("..", "ops", "grafana", "pinhole.json");

    private static final Pattern METRIC = Pattern.compile("\\bpinhole_[a-z0-9_]*[a-z0-9]");

    private OpsFiles() {
    }

    /** Every {@code pinhole_*} name written in the rules and the dashboard. */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : new Path[] {ALERTS, DASHBOARD}) {
            Matcher matcher = METRIC.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }
}
