package dev.holdfast.examples.spring;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Plain Spring JDBC, unaware of holdfast. */
@Component
class JdbcTaskStatsDao implements TaskStatsDao {
  private final JdbcTemplate jdbc;

  JdbcTaskStatsDao(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<String> recentTitles(int limit) {
    return jdbc.queryForList("SELECT title FROM tasks ORDER BY id DESC LIMIT ?", String.class, limit);
  }

  @Override
  public long openCount() {
    Long n = jdbc.queryForObject("SELECT count(*) FROM tasks WHERE NOT done", Long.class);
    return n == null ? 0 : n;
  }
}
