/// A write job waiting for the writer thread, with its result type erased.
struct QueuedWrite: Sendable {
    /// What running a job produced: its own failure, if any, and how to deliver the final
    /// result once the batch's fate (`nil`: committed; an error: not committed) is known.
    struct Outcome {
        let failure: (any Error)?
        let deliver: (_ batchError: (any Error)?) -> Void
    }

    /// Runs the work on the writer thread, in the group's transaction (whatever it wrote is undone
    /// if it throws: a savepoint, or on PostgreSQL the group run again with savepoints).
    let run: @Sendable (WriteTransaction) -> Outcome
    /// Completes the job with an error without running it.
    let fail: @Sendable (any Error) -> Void
    /// The connections the job will read (`ConnectionStore.write(locking:_:completion:)`).
    let connectionIDs: [String]

    init<T: Sendable>(
        locking connectionIDs: [String] = [],
        work: @escaping @Sendable (WriteTransaction) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        self.connectionIDs = connectionIDs
        run = { transaction in
            do {
                let value = try work(transaction)
                return Outcome(failure: nil) { batchError in
                    completion(batchError.map { .failure($0) } ?? .success(value))
                }
            } catch {
                return Outcome(failure: error) { batchError in
                    completion(.failure(batchError ?? error))
                }
            }
        }
        fail = { error in completion(.failure(error)) }
    }
}
