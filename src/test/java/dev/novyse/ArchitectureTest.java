package dev.novyse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layering rules of docs/architecture.md, checked on the compiled main classes: a change that breaks one fails
 * {@code mvn verify} with the rule and the offending dependency named. The table below is the "may use" column of
 * that page; a package may always use itself and its own subpackages.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.novyse.";

    /** Each package of main and the novyse packages it may use. */
    private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        may("concurrent");
        may("io");
        may("protocol");
        may("store", "protocol", "io", "concurrent");
        may("sync", "store", "protocol", "io", "concurrent");
        may("state", "sync", "store", "protocol", "io", "concurrent");
        may("export", "store", "protocol", "io", "concurrent");
        may("account", "state", "sync", "store", "protocol", "io", "concurrent");
        may("demo", "server", "sync", "protocol", "io", "concurrent");
        may("tui", "account", "state", "sync", "store", "protocol", "io", "concurrent");
        may("server", "protocol", "io", "concurrent");
        may("cli", "account", "state", "sync", "store", "export", "tui", "demo", "server", "protocol", "io",
                "concurrent");
    }

    private static void may(String pkg, String... uses) {
        MAY_USE.put(pkg, Set.of(uses));
    }

    static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("dev.novyse");
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        for (Map.Entry<String, Set<String>> e : MAY_USE.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : MAY_USE.keySet()) {
                if (!other.equals(e.getKey()) && !e.getValue().contains(other)) forbidden.add(ROOT + other + "..");
            }
            ArchRule rule = noClasses().that().resideInAPackage(ROOT + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("docs/architecture.md#layers: " + e.getKey() + " may use " + e.getValue());
            rule.check(main);
        }
    }

    /**
     * The same table read off the sources' import lines: an import that is never used leaves no trace in the
     * compiled classes, but it is where the next forbidden call starts.
     */
    @Test
    void noSourceImportsAPackageItMayNotUse() throws IOException {
        List<String> bad = new ArrayList<>();
        Path root = Path.of("src/main/java/dev/novyse");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                String pkg = root.relativize(f.getParent()).toString().split("/")[0];
                Set<String> allowed = MAY_USE.getOrDefault(pkg, Set.of());
                for (String line : Files.readAllLines(f)) {
                    if (!line.startsWith("import " + ROOT) && !line.startsWith("import static " + ROOT)) continue;
                    String used = line.substring(line.indexOf(ROOT) + ROOT.length()).split("\\.")[0];
                    if (!used.equals(pkg) && !allowed.contains(used)) bad.add(f + ": " + line.strip());
                }
            }
        }
        assertEquals(List.of(), bad, "docs/architecture.md#layers: imports of packages these may not use");
    }

    @Test
    void everyMainPackageHasItsPlaceInTheLayers() {
        Set<String> unplaced = new TreeSet<>();
        main.forEach(c -> {
            String top = c.getPackageName().substring(ROOT.length()).split("\\.")[0];
            if (!MAY_USE.containsKey(top)) unplaced.add(top);
        });
        assertEquals(Set.of(), unplaced, "packages missing from ArchitectureTest and docs/architecture.md#layers");
    }

    @Test
    void theChatScreenNeverUsesTheLocalDatabase() {
        noClasses().that().resideInAPackage(ROOT + "tui..")
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + "store.LocalDatabase")
                .because("the TUI reads through the state layer (state.Lookups, the StateBus)").check(main);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.novyse.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void noClassInMainIsOver500Lines() throws IOException {
        Map<String, Long> over = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > 500) over.put(f.toString(), lines);
            }
        }
        assertEquals(Map.of(), over, "split these by job (docs/CONTRIBUTING.md)");
    }
}
