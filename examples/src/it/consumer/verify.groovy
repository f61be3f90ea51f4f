// Checks the three consumer builds in build.log: each passed every test, on the JUnit line it asked for, and
// printed at most a few lines per test class. Writes the counts to target/output-lines.txt.
def lines = new File(basedir, 'build.log').readLines()
def runs = []
lines.each { line ->
  if (line.contains('Scanning for projects')) {
    runs << []
  }
  if (!runs.isEmpty()) {
    runs[-1] << line
  }
}
def expected = ['junit-5.12', 'junit-6.0', 'junit-6.1']
assert runs.size() == expected.size() : "expected ${expected.size()} consumer builds in build.log, found ${runs.size()}"

// The four lines a class may print are HikariCP's pool start and stop at INFO, for a JdbcBackend the test itself
// opens (as in any application on HikariCP); the fixtures print nothing.
def maxPerClass = 4
def report = []
def problems = []
runs.eachWithIndex { run, i ->
  def name = expected[i]
  if (!run.any { it.contains('BUILD SUCCESS') }) {
    problems << "${name}: the build failed"
  }
  def results = run.find { it ==~ /\[INFO\] Tests run: \d+, Failures: 0, Errors: 0, Skipped: 0$/ }
  if (results == null || !(results =~ /Tests run: 7,/)) {
    problems << "${name}: expected 7 tests, none failed or skipped; got: ${results}"
  }
  def start = run.findIndexOf { it.contains('T E S T S') }
  def end = run.findIndexOf { it.startsWith('[INFO] Results:') }
  if (start < 0 || end < 0) {
    problems << "${name}: no test section"
    return
  }
  def current = 'before the first class'
  def counts = [:].withDefault { 0 }
  run.subList(start + 2, end).each { line ->
    def running = line =~ /^\[INFO\] Running (\S+)$/
    def finished = line =~ /^\[(INFO|ERROR|WARNING)\] Tests run: .* -- in (\S+)$/
    if (running) {
      current = running[0][1]
      counts[current] += 0
    } else if (finished) {
      current = 'after the last class'
    } else if (!(line ==~ /^(\[INFO\])?\s*$/)) {
      counts[current] += 1
    }
  }
  counts.each { where, count ->
    report << "${name} ${where}: ${count} lines"
    if (count > maxPerClass) {
      problems << "${name}: ${count} lines of output ${where.contains(' ') ? where : 'in ' + where} (at most ${maxPerClass})"
    }
  }
}
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/output-lines.txt').text = report.join('\n') + '\n'
report.each { println it }
assert problems.isEmpty() : problems.join('\n')
return true
