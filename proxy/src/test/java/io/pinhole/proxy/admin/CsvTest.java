package io.pinhole.proxy.admin;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void quotesOnlyWhatRfc4180Requires() {
        Object[][] table = {
                // value, field
                {null, ""},
                {"", ""},
                {"alice@a.example", "alice@a.example"},
                {42L, "42"},
                {true, "true"},
                {"a,b", "\"a,b\""},
                {"say \"hi\"", "\"say \"\"hi\"\"\""},
                {"two\r\nlines", "\"two\r\nlines\""},
                {"lf\nonly", "\"lf\nonly\""},
                {" padded", "\" padded\""},
                {"padded ", "\"padded \""},
                {"in side", "in side"},
                {"\"", "\"\"\"\""},
        };
        for (Object[] row : table) {
            assertThat(Csv.field(row[0])).as("%s", row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void endsEachLineWithCrlf() {
        assertThat(Csv.line(Arrays.asList("a", null, "b,c"))).isEqualTo("a,,\"b,c\"\r\n");
        assertThat(Csv.line(List.of())).isEqualTo("\r\n");
    }
}
