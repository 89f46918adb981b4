package io.engage.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the "[n]" passage markers an answer cites. */
final class Citations {

    /** "[2]", and the "[1, 3]" / "[1][3]" forms models also write. */
    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    private Citations() {
    }

    /** Passage numbers within 1..passageCount, in first-cited order, without repeats. */
    static List<Integer> parse(String text, int passageCount) {
        List<Integer> cited = new ArrayList<>();
        if (text == null || passageCount <= 0) {
            return cited;
        }
        Matcher marker = MARKER.matcher(text);
        while (marker.find()) {
            for (String number : marker.group(1).split(",")) {
                int n = Integer.parseInt(number.strip());
                if (n >= 1 && n <= passageCount && !cited.contains(n)) {
                    cited.add(n);
                }
            }
        }
        return List.copyOf(cited);
    }
}
