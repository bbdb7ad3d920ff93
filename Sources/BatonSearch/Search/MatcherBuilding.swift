/// Matcher building: a plan on one segment as a tree of matchers.
extension Searcher {
    // MARK: Matchers: a plan on one segment

    func matcher(_ plan: Plan, segment position: Int, scorer: SegmentScorer) -> Matcher {
        let segment = index.segments[position]
        let deleted = index.deleted[position]
        switch plan {
        case .term(let term, let idf, let boost, let mask):
            guard let info = lookup(term, segment: position), info.fieldMask & mask != 0 else { return EmptyMatcher() }
            return TermMatcher(cursor: segment.postings(info), scorer: scorer, weight: idf * boost, mask: mask,
                               deleted: deleted, info: info)
        case .phrase(let terms, let offsets, let idf, let boost, let mask, let proximity):
            var matchers: [TermMatcher] = []
            var maxTf = PerField<Int>(repeating: Int.max)
            var minLength = PerField<Int>(repeating: 0)
            for term in terms {
                guard let info = lookup(term, segment: position) else { return EmptyMatcher() }
                matchers.append(TermMatcher(cursor: segment.postings(info), scorer: nil, weight: 0, mask: 0xFF,
                                            deleted: deleted, info: info))
                for field in 0..<segment.fieldCount {
                    maxTf[field] = min(maxTf[field], info.maxTf[field])
                    minLength[field] = max(minLength[field], info.minLength[field])
                }
            }
            return PhraseMatcher(terms: matchers, offsets: offsets, proximity: proximity, scorer: scorer,
                                 weight: idf * boost, mask: mask,
                                 maxScore: scorer.bound(maxTf: maxTf, minLength: minLength, mask: mask, weight: idf * boost))
        case .filter(let term):
            guard let info = lookup(term, segment: position) else { return EmptyMatcher() }
            return TermMatcher(cursor: segment.postings(info), scorer: nil, weight: 0, mask: 0xFF, deleted: deleted,
                               info: info)
        case .any(let parts):
            let children = parts.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            if children.isEmpty { return EmptyMatcher() }
            return children.count == 1 ? children[0] : DisjunctionMatcher(children)
        case .best(let parts):
            let children = parts.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            if children.isEmpty { return EmptyMatcher() }
            return children.count == 1 ? children[0] : DisjunctionMatcher(children, best: true)
        case .all(let required, let excluded):
            var positive = required.map { matcher($0, segment: position, scorer: scorer) }
            if positive.contains(where: { $0 is EmptyMatcher }) { return EmptyMatcher() }
            if positive.isEmpty { positive = [AllDocumentsMatcher(count: segment.documentCount, deleted: deleted)] }
            let negative = excluded.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            // Lead with the most selective part.
            return ConjunctionMatcher(required: positive, excluded: negative)
        case .nothing:
            return EmptyMatcher()
        }
    }
}
