#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a mutual-exclusion lock (a `pthread_mutex_t`): the one lock type of the core
/// and the C ABI glue (replay guards, key caches, the EIP-712 and JSON caches, the handle table).
///
/// Why not `Synchronization.Mutex`: on Linux its contended path hands the lock over through a
/// priority-inheritance futex inside the (uninstrumented) standard library, so ThreadSanitizer
/// cannot see that synchronisation and reports every contended critical section as a race,
/// which would hide real ones (`make test-tsan`). pthread mutexes are intercepted by TSan, and
/// their uncontended path is the same single compare-and-swap.
///
/// Hold it for short, non-reentrant critical sections only (the body must not take the same
/// lock again).
package final class Locked<State> {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    package init(_ initial: State) {
        state = initial
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    package func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}

extension Locked: @unchecked Sendable where State: Sendable {}
