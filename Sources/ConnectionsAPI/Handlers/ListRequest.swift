import ConnectionsService
import Validation

/// A `GET /connections` query, checked and resolved into one of the three response shapes
/// of API.md.
struct ListRequest: Sendable {
    enum Shape: Sendable {
        /// No `take`/`from`, no `include_totals`: a plain array.
        case array
        /// `include_totals=true` without `take`/`from`: `{start, limit, total, connections}`.
        case totals
        /// `take` or `from` present: `{connections, next?}`; paging parameters are ignored.
        case checkpoint
    }

    /// Page sizes without `per_page` or `take`, as the OAS describes each parameter.
    static let defaultPerPage = 100
    static let defaultTake = 50

    let shape: Shape
    let filter: ConnectionCatalog.Filter
    let after: CatalogSortKey?
    let offset: Int
    let limit: Int

    init(query: QueryParameters) throws(APIError) {
        let perPage = try query.integer(
            "per_page", in: 1...100, description: "The amount of entries per page. Defaults to 100 if not provided")
        let page = try query.integer("page", in: 0...Int.max, description: "The page number. Zero based")
        let includeTotals =
            try query.boolean(
                "include_totals",
                description:
                    "true if a query summary must be included in the result, false otherwise. Not returned when using checkpoint pagination. Default <code>false</code>."
            ) ?? false
        let take = try query.integer("take", in: 1...100, description: "Number of results per page. Defaults to 50.")
        let from = query.value("from")

        var filter = ConnectionCatalog.Filter()
        for strategy in query.values("strategy") {
            guard StrategyNames.all.contains(strategy) else {
                throw APIError.invalidQuery(
                    "No enum match for: \"\(strategy)\"", property: "strategy",
                    description: "Provide strategies to only retrieve connections with such strategies")
            }
            filter.strategies.insert(strategy)
        }
        filter.name = query.value("name")
        self.filter = filter

        if take != nil || from != nil {
            shape = .checkpoint
            limit = take ?? Self.defaultTake
            offset = 0
            if let from, !from.isEmpty {
                guard let key = ListCursor.decode(from) else {
                    throw APIError.invalidQuery(
                        "Invalid checkpoint: use the next value of a previous page", property: "from",
                        description: "Optional Id from which to start selection.")
                }
                after = key
            } else {
                after = nil
            }
        } else {
            shape = includeTotals ? .totals : .array
            limit = perPage ?? Self.defaultPerPage
            let (product, overflow) = (page ?? 0).multipliedReportingOverflow(by: limit)
            offset = overflow ? Int.max / 2 : product
            after = nil
        }
    }
}
