package dev.correlator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README stays a newcomer's five minutes, and no link in the docs leads nowhere. */
class DocumentationTest {

    // Everything beyond this goes to docs/: the README is read first, and in full.
    private static final long README_LIMIT = 12 * 1024;

    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|mailto:|#)([^)#\\s]+)");

    @Test
    void theReadmeIsAtMost12KB() throws IOException {
        long size = Files.size(Path.of("README.md"));
        assertTrue(size <= README_LIMIT, "README.md is " + size + " bytes; move reference material to docs/");
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsNamesAFileThatExists() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher link = RELATIVE_LINK.matcher(Files.readString(page));
            while (link.find()) {
                Path target =
                        page.toAbsolutePath().getParent().resolve(link.group(1)).normalize();
                if (!Files.exists(target)) {
                    broken.add(page + " -> " + link.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
    }
}
