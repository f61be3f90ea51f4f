package dev.holdfast.testkit.internal.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Haskell's {@code fuzzyset} 0.2 as PostgREST uses it for "Perhaps you meant ..." hints ({@code Fuzzy.fromList},
 * {@code getOne} with a minimum score of 0.33): candidates found by cosine similarity of 3-grams (then 2-grams) of
 * the normalised strings, the best 50 re-scored by normalised Levenshtein similarity. Immutable.
 */
public final class FuzzySet {
  private final Map<String, String> exact = new LinkedHashMap<>();
  private final List<String> keys = new ArrayList<>();

  /** A set of {@code values}; like {@code addMany = foldr (flip add)}, later values are added first. */
  public FuzzySet(List<String> values) {
    for (int i = values.size() - 1; i >= 0; i--) {
      String key = values.get(i).toLowerCase(Locale.ROOT);
      if (!exact.containsKey(key)) {
        exact.put(key, values.get(i));
        keys.add(key);
      }
    }
  }

  /** The closest value with a score of at least 0.33, or null. */
  public String getOne(String value) {
    List<Object[]> all = get(value);
    return all.isEmpty() ? null : (String) all.get(0)[1];
  }

  /** Every match with a score of at least 0.33, best first, as {@code [score, value]}. */
  public List<Object[]> get(String value) {
    String key = value.toLowerCase(Locale.ROOT);
    if (exact.containsKey(key)) {
      List<Object[]> one = new ArrayList<>();
      one.add(new Object[] {1.0, exact.get(key)});
      return one;
    }
    for (int size = 3; size >= 2; size--) {
      List<Object[]> found = matches(key, size);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return new ArrayList<>();
  }

  private List<Object[]> matches(String query, int size) {
    Map<String, Integer> qv = gramVector(query, size);
    double qNorm = norm(qv);
    List<Object[]> scored = new ArrayList<>();
    for (String item : keys) {
      Map<String, Integer> iv = gramVector(item, size);
      long dot = 0;
      for (Map.Entry<String, Integer> e : qv.entrySet()) {
        Integer other = iv.get(e.getKey());
        if (other != null) {
          dot += (long) other * e.getValue();
        }
      }
      if (dot > 0) {
        scored.add(new Object[] {dot / (qNorm * norm(iv)), item});
      }
    }
    scored.sort(Comparator.comparingDouble((Object[] a) -> (Double) a[0]).reversed());
    List<Object[]> out = new ArrayList<>();
    for (Object[] s : scored.subList(0, Math.min(50, scored.size()))) {
      out.add(new Object[] {levenshteinSimilarity(query, (String) s[1]), s[1]});
    }
    out.sort(Comparator.comparingDouble((Object[] a) -> (Double) a[0]).reversed());
    out.removeIf(a -> (Double) a[0] < 0.33);
    out.replaceAll(a -> new Object[] {a[0], exact.get((String) a[1])});
    return out;
  }

  private static double norm(Map<String, Integer> v) {
    long sum = 0;
    for (int c : v.values()) {
      sum += (long) c * c;
    }
    return Math.sqrt(sum);
  }

  /** The n-grams of the normalised value enclosed in hyphens, with their counts. */
  static Map<String, Integer> gramVector(String value, int size) {
    StringBuilder norm = new StringBuilder("-");
    value.toLowerCase(Locale.ROOT).codePoints()
        .filter(c -> Character.isLetterOrDigit(c) || Character.isWhitespace(c) || c == ',')
        .forEach(norm::appendCodePoint);
    norm.append('-');
    int[] cps = norm.toString().codePoints().toArray();
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i + size <= cps.length; i++) {
      out.merge(new String(cps, i, size), 1, Integer::sum);
    }
    return out;
  }

  /** {@code 1 - levenshtein / max length}, as text-metrics' {@code levenshteinNorm}. */
  static double levenshteinSimilarity(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    int max = Math.max(x.length, y.length);
    return max == 0 ? 1.0 : 1.0 - (double) Levenshtein.distance(x, y) / max;
  }
}
