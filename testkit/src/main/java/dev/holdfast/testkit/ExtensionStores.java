package dev.holdfast.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;

/** The test-class-level store the database extensions share, so they hand out one database per class. */
final class ExtensionStores {
  static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabase.class);

  private ExtensionStores() {}

  /** The context of the test class that {@code context} belongs to (itself for a class context). */
  static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  /** The test class's database, created on first use and dropped when the class's tests are done. */
  static TestDatabase database(ExtensionContext context) {
    return StoredResource.getOrCreate(classContext(context).getStore(NAMESPACE), TestDatabase.class,
        TestPostgres::createDatabase);
  }
}
