// Ctrl-C (SIGINT) and SIGTERM during training: the handler only records the signal (the one thing
// a signal handler may safely do, POSIX signal-safety(7)); the training loop checks the flag
// between steps, saves a checkpoint and exits with 128 + signal (130 for Ctrl-C, the shell
// convention). The handler then restores the default action, so a second Ctrl-C stops at once —
// safe, because every save is atomic.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Written only by the handler, read by the loop; a plain C-sized integer is all it needs.
private nonisolated(unsafe) var receivedSignal: Int32 = 0

private func recordSignal(_ number: Int32) {
  receivedSignal = number
  signal(number, SIG_DFL)
}

enum InterruptSignal {
  /// Starts recording SIGINT and SIGTERM instead of dying.
  static func install() {
    receivedSignal = 0  // initialises the global before a handler can touch it
    signal(SIGINT, recordSignal)
    signal(SIGTERM, recordSignal)
    // A parent may have started us with these signals blocked (test runners do); then they
    // would stay pending forever.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Back to the default actions.
  static func uninstall() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }

  /// The signal received since `install`, if any.
  static var received: Int32? { receivedSignal == 0 ? nil : receivedSignal }
}
