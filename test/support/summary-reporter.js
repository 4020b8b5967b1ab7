/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after jest's own summary, so CI
 * logs end with a count any reader (or tool) can take in at a glance.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
