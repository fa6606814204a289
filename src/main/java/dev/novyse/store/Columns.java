package dev.novyse.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Nullable SQL columns read as Java values: JDBC hands out 0 for NULL, which is a valid id or sub here. */
public final class Columns {
    private Columns() {}

    public static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    public static Integer intOrNull(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }
}
