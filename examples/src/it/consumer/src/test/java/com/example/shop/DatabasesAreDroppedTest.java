package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.holdfast.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The extensions' fixtures are closed when their class ends, on JUnit 5.12 as on 6.x. */
@Order(3)
class DatabasesAreDroppedTest {
  @Test
  void anEarlierClassesDatabaseIsGone() throws Exception {
    assumeTrue(TaskRepositoryTest.databaseName != null, "TaskRepositoryTest ran first");
    try (Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      ps.setString(1, TaskRepositoryTest.databaseName);
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        assertThat(r.getInt(1)).isZero();
      }
    }
  }
}
