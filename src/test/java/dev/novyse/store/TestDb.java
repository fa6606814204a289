package dev.novyse.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Test helpers on a database file through a separate raw JDBC connection. */
public final class TestDb {
    private TestDb() {}

    /**
     * Every table (FTS shadow tables and sqlite internals excluded) with every row, rows sorted, as text.
     * Two databases with equal dumps hold the same data.
     */
    public static String dump(Path file) {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            List<String> tables = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                         + " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'message_fts%' ORDER BY name")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                sb.append("## ").append(t).append('\n');
                List<String> rows = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            if (i > 1) row.append(" | ");
                            row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                for (String r : rows) sb.append(r).append('\n');
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot dump " + file + ": " + e.getMessage(), e);
        }
        return sb.toString();
    }

    public static List<List<Object>> rows(Path file, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<List<Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static Object value(Path file, String sql, Object... args) {
        List<List<Object>> r = rows(file, sql, args);
        return r.isEmpty() ? null : r.get(0).get(0);
    }

    public static void exec(Path file, String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : sql) st.execute(s);
        } catch (SQLException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
