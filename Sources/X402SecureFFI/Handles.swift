// The table behind every handle of the C ABI (include/x402_secure.h, "Handles"): replay guards
// and signers. A handle is not a pointer to the object but an opaque value naming a slot of
// this table and the slot's generation, so
//   - a call looks the handle up and takes a strong reference under the table's lock: an
//     x402s_*_free racing the call can no longer free the object under it (the object goes,
//     and its secrets are zeroed, when the last call using it drops its reference);
//   - a freed, stale, foreign or garbage value is found missing (X402S_ERR_HANDLE_CLOSED)
//     instead of being dereferenced, and freeing one is a no-op;
//   - a value is never reused for a later handle (a slot whose generation would wrap is retired).
// The lock is held for a lookup only (a few tens of nanoseconds), never during the work: calls
// on one handle from many threads run in parallel.
import CX402Secure
import X402Secure

/// The kinds of object a handle can name (a handle of one kind is refused where another is expected).
enum FFIHandleKind: UInt8, Sendable {
    case replayGuard = 1
    case signer = 2
}

/// An object that the C ABI hands out as a handle.
protocol FFIHandleObject: AnyObject, Sendable {
    static var handleKind: FFIHandleKind { get }
}

enum FFIHandles {
    private struct Slot {
        var object: (any FFIHandleObject)?
        var kind: FFIHandleKind?
        var generation: UInt
    }

    private struct Table {
        var slots: [Slot] = []
        var free: [Int] = []
        var live = 0
    }

    /// Bits of a handle value that hold the slot number + 1; the rest hold the generation.
    static let slotBits = UInt.bitWidth == 64 ? 32 : 20
    /// Most live handles at once.
    static let maxSlots = (1 << (UInt.bitWidth == 64 ? 24 : 20)) - 1
    private static let slotMask: UInt = (1 << UInt(slotBits)) - 1
    private static let maxGeneration: UInt = UInt.max >> UInt(slotBits)

    private static let table = Locked(Table())

    private static func encode(_ index: Int, _ generation: UInt) -> OpaquePointer? {
        OpaquePointer(bitPattern: (generation << UInt(slotBits)) | UInt(index + 1))
    }

    private static func decode(_ handle: OpaquePointer) -> (index: Int, generation: UInt) {
        let bits = UInt(bitPattern: handle)
        return (Int(bits & slotMask) - 1, bits >> UInt(slotBits))
    }

    /// Registers `object` and returns its new handle.
    /// - Throws: ``X402SError`` `.internal` when `maxSlots` handles are live.
    static func insert(_ object: some FFIHandleObject) throws(X402SError) -> OpaquePointer {
        let kind = type(of: object).handleKind
        let made: OpaquePointer?? = table.withLock { t in
            let index: Int
            if let reused = t.free.popLast() {
                index = reused
                t.slots[index].object = object
                t.slots[index].kind = kind
            } else {
                guard t.slots.count < maxSlots else { return .some(nil) }
                index = t.slots.count
                t.slots.append(Slot(object: object, kind: kind, generation: 1))
            }
            t.live += 1
            return encode(index, t.slots[index].generation)
        }
        guard case .some(.some(let handle)) = made else {
            throw X402SError(.internal, "too many live handles (free the ones no longer used)")
        }
        return handle
    }

    /// The live object of `handle`, strongly referenced, so it stays alive while the caller
    /// uses it even if the handle is freed meanwhile.
    /// - Throws: ``X402SError`` `.nullArgument` (NULL), `.handleClosed` (freed, stale or never
    ///   made by this library), `.invalidArgument` (a handle of another kind).
    static func object<T: FFIHandleObject>(
        _ handle: OpaquePointer?, as type: T.Type, _ name: StaticString
    ) throws(X402SError) -> T {
        guard let handle else { throw X402SError(.nullArgument, "\(name) is NULL") }
        let (index, generation) = decode(handle)
        let found: (any FFIHandleObject, FFIHandleKind)? = table.withLock { t in
            guard index >= 0, index < t.slots.count, t.slots[index].generation == generation,
                  let object = t.slots[index].object, let kind = t.slots[index].kind
            else { return nil }
            return (object, kind)
        }
        guard let (object, kind) = found else {
            throw X402SError(.handleClosed, "\(name) was freed (or is not a handle made by this library)")
        }
        guard kind == T.handleKind else {
            throw X402SError(.invalidArgument, "\(name) is a handle of another kind")
        }
        return unsafeDowncast(object, to: T.self)
    }

    /// Frees `handle` if it is a live handle of `type`'s kind (otherwise a no-op). The object
    /// is released outside the lock; calls still using it keep it alive until they return.
    static func free<T: FFIHandleObject>(_ handle: OpaquePointer?, as type: T.Type) {
        guard let handle else { return }
        let (index, generation) = decode(handle)
        let released: (any FFIHandleObject)? = table.withLock { t in
            guard index >= 0, index < t.slots.count, t.slots[index].generation == generation,
                  t.slots[index].kind == T.handleKind, let object = t.slots[index].object
            else { return nil }
            t.slots[index].object = nil
            t.slots[index].kind = nil
            t.live -= 1
            if t.slots[index].generation < maxGeneration {
                t.slots[index].generation += 1
                t.free.append(index)
            }  // else: retired, so that no value ever names two handles
            return object
        }
        _ = released  // the last reference may go here: deinit (and zeroing) outside the lock
    }

    /// Number of live handles (x402s_handle_count).
    static var liveCount: Int { table.withLock { $0.live } }
}

extension X402ReplayGuard: FFIHandleObject {
    static var handleKind: FFIHandleKind { .replayGuard }
}

@c @implementation
public func x402s_handle_count() -> Int {
    FFIHandles.liveCount
}
