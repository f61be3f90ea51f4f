package dev.holdfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.InvalidRequestException;
import dev.holdfast.jdbc.ConnectionString.Host;
import dev.holdfast.jdbc.internal.Pools;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiHostConnectionStringTest {
  private static final List<Host> TWO = List.of(new Host("h1", 5432), new Host("h2", 5433));

  @Test
  void readsEveryHostOfAJdbcUrl() {
    ConnectionString cs = ConnectionString.parse("jdbc:postgresql://h1:5432,h2:5433/app?user=app");
    assertThat(cs.hosts()).isEqualTo(TWO);
    assertThat(cs.host()).isEqualTo("h1");
    assertThat(cs.port()).isEqualTo(5432);
    assertThat(cs.toJdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
  }

  @Test
  void readsEveryHostOfALibpqUriWithTargetSessionAttrs() {
    ConnectionString cs = ConnectionString.parse(
        "postgresql://app:secret@h1:5432,h2:5433/app?target_session_attrs=read-write");
    assertThat(cs.hosts()).isEqualTo(TWO);
    assertThat(cs.toString()).isEqualTo("postgresql://app:****@h1:5432,h2:5433/app?target_session_attrs=read-write");
    assertThat(Pools.targetServerType(cs)).isEqualTo("primary");
  }

  @Test
  void readsKeyValueHostAndPortLists() {
    ConnectionString cs = ConnectionString.parse("host=h1,h2 port=5432,5433 dbname=app user=app");
    assertThat(cs.hosts()).isEqualTo(TWO);
  }

  @Test
  void givesOnePortToEveryHostOfAKeyValueList() {
    ConnectionString cs = ConnectionString.parse("host=h1,h2,h3 port=6000 dbname=app");
    assertThat(cs.hosts()).extracting(Host::port).containsExactly(6000, 6000, 6000);
  }

  @Test
  void givesTheDefaultPortToAUriHostWithoutOne() {
    ConnectionString cs = ConnectionString.parse("postgresql://h1,h2:5433/app");
    assertThat(cs.hosts()).containsExactly(new Host("h1", 5432), new Host("h2", 5433));
  }

  @Test
  void readsBracketedIpv6HostsInAList() {
    ConnectionString cs = ConnectionString.parse("postgresql://[2001:db8::1]:5432,[2001:db8::2]:5433/app");
    assertThat(cs.hosts()).containsExactly(new Host("2001:db8::1", 5432), new Host("2001:db8::2", 5433));
    assertThat(cs.toJdbcUrl()).isEqualTo("jdbc:postgresql://[2001:db8::1]:5432,[2001:db8::2]:5433/app");
  }

  @Test
  void refusesAPortListThatDoesNotMatchTheHosts() {
    assertThatThrownBy(() -> ConnectionString.parse("host=h1,h2,h3 port=5432,5433 dbname=app"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void choosesThePrimaryForSeveralHostsWithoutATarget() {
    assertThat(Pools.targetServerType(ConnectionString.parse("jdbc:postgresql://h1,h2/app"))).isEqualTo("primary");
    assertThat(Pools.targetServerType(ConnectionString.parse("jdbc:postgresql://h1/app"))).isNull();
  }

  @ParameterizedTest
  @CsvSource({"read-write, primary", "primary, primary", "any, any", "read-only, secondary",
      "standby, secondary", "prefer-standby, preferSecondary"})
  void translatesTargetSessionAttrsToPgjdbc(String libpq, String pgjdbc) {
    ConnectionString cs = ConnectionString.parse("postgresql://h1,h2/app?target_session_attrs=" + libpq);
    assertThat(Pools.targetServerType(cs)).isEqualTo(pgjdbc);
  }

  @Test
  void keepsATargetServerTypeAsWritten() {
    ConnectionString cs = ConnectionString.parse("jdbc:postgresql://h1,h2/app?targetServerType=preferSecondary");
    assertThat(Pools.targetServerType(cs)).isEqualTo("preferSecondary");
  }

  @Test
  void theDoctorSaysItChoseThePrimary() {
    ConnectionDoctor.Report report = ConnectionDoctor.check("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/app");
    assertThat(report.findings()).anySatisfy(f -> {
      assertThat(f.topic()).isEqualTo("cluster.target-default");
      assertThat(f.message()).contains("2 hosts").contains("targetServerType=primary");
    });
  }

  @Test
  void theDoctorSaysWhereReadsGoWithPreferStandby() {
    ConnectionDoctor.Report report = ConnectionDoctor.check(
        "postgresql://127.0.0.1:5432,127.0.0.1:5433/app?target_session_attrs=prefer-standby");
    assertThat(report.findings()).anySatisfy(f -> {
      assertThat(f.topic()).isEqualTo("cluster.target-replicas");
      assertThat(f.message()).contains("writes to the primary");
    });
  }

  @Test
  void theDoctorWarnsThatAnyLetsWritesReachAReplica() {
    ConnectionDoctor.Report report = ConnectionDoctor.check(
        "jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/app?targetServerType=any");
    assertThat(report.findings()).anySatisfy(f -> assertThat(f.topic()).isEqualTo("cluster.target-any"));
  }

  @Test
  void theDoctorSaysNothingAboutClustersForOneHost() {
    assertThat(ConnectionDoctor.check("jdbc:postgresql://127.0.0.1:5432/app").findings())
        .noneSatisfy(f -> assertThat(f.topic()).startsWith("cluster."));
  }
}
