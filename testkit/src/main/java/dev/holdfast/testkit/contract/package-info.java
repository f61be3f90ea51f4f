/**
 * The backend contract suite: JUnit 5 tests that prove a {@link dev.holdfast.spi.Backend} gives the same results,
 * order and exception types as every other backend. Extend {@link dev.holdfast.testkit.contract.BackendContract}
 * and implement its two hooks; the tables it expects are {@link dev.holdfast.testkit.contract.ContractSchema}.
 */
package dev.holdfast.testkit.contract;
