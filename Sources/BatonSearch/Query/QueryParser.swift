/// Parses the query language:
///
///     words            all must match          contract change
///     "a phrase"       words side by side, then near  "exit plan"
///     prefix*          any word starting so     escal*
///     fuzzy~ fuzzy~2   within 1 (or 2) edits    contarct~
///     a OR b           either                   handover OR handoff
///     -word            must not match           exit -plan
///     field:word       only in that text field  title:exit
///     field:value      keyword filter           type:person section:exit-arrangements
///     ( … )            grouping                 (exit OR break) plan
///     field:( … )      the field for the group  title:(exit OR escalation)
public struct QueryParser: Sendable {
    public let textFields: Set<String>
    public let keywordFields: Set<String>

    public init(schema: Schema) {
        textFields = Set(schema.textFields.map(\.name))
        keywordFields = Set(schema.keywordFields)
    }

    private enum Token: Equatable {
        case word(String, start: Int)
        case quoted(String, start: Int)
        case open(Int), close(Int), minus(Int), or(Int), colon(Int)
        case suffixStar(Int), suffixTilde(Int, Int)
    }

    /// The deepest nesting of brackets a query may have.
    public static let maximumNesting = 32
    /// The most words, phrases and signs a query may have.
    public static let maximumTokens = 1_000

    /// Parses `text`. With `lastWordAsPrefix`, a final bare word also matches words it begins (search as you type).
    public func parse(_ text: String, lastWordAsPrefix: Bool = false) throws(QueryError) -> Query {
        var tokens = try tokenize(text)
        if lastWordAsPrefix, case .word(let word, let start)? = tokens.last, word != "OR" {
            tokens.append(.suffixStar(start + word.count))
        }
        var index = 0
        guard !tokens.isEmpty else { throw QueryError(message: "the query is empty", position: 0) }
        // Parsing recurses once per bracket: bound the nesting before it starts.
        var depth = 0
        for token in tokens {
            if case .open(let position) = token {
                depth += 1
                if depth > Self.maximumNesting {
                    throw QueryError(message: "brackets nest more than \(Self.maximumNesting) deep", position: position)
                }
            } else if case .close = token {
                depth = max(0, depth - 1)
            }
        }
        guard tokens.count <= Self.maximumTokens else {
            throw QueryError(message: "the query has more than \(Self.maximumTokens) words and signs", position: 0)
        }
        let query = try parseOr(tokens, &index)
        if index < tokens.count {
            if case .close(let position) = tokens[index] {
                throw QueryError(message: "')' has no matching '('", position: position)
            }
            throw QueryError(message: "unexpected text", position: position(of: tokens[index]))
        }
        try checkHasPositive(query, text: text)
        return query
    }

    private func position(of token: Token) -> Int {
        switch token {
        case .word(_, let start), .quoted(_, let start): return start
        case .open(let p), .close(let p), .minus(let p), .or(let p), .colon(let p), .suffixStar(let p): return p
        case .suffixTilde(let p, _): return p
        }
    }

    private func tokenize(_ text: String) throws(QueryError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        func isBoundary(_ c: Character) -> Bool {
            c.isWhitespace || c == "(" || c == ")" || c == "\"" || c == ":" || c == "*" || c == "~"
        }
        while index < characters.count {
            let c = characters[index]
            if c.isWhitespace {
                index += 1
            } else if c == "(" {
                tokens.append(.open(index))
                index += 1
            } else if c == ")" {
                tokens.append(.close(index))
                index += 1
            } else if c == "\"" {
                let start = index
                index += 1
                var phrase = ""
                while index < characters.count && characters[index] != "\"" {
                    phrase.append(characters[index])
                    index += 1
                }
                guard index < characters.count else {
                    throw QueryError(message: "the quotation mark is never closed", position: start)
                }
                index += 1
                tokens.append(.quoted(phrase, start: start))
            } else if c == "-" && (index + 1 < characters.count) && !isBoundary(characters[index + 1])
                && (tokens.isEmpty || index == 0 || characters[index - 1].isWhitespace || characters[index - 1] == "(")
            {
                tokens.append(.minus(index))
                index += 1
            } else if c == "-" && index + 1 < characters.count && characters[index + 1] == "\"" {
                tokens.append(.minus(index))
                index += 1
            } else if c == ":" {
                tokens.append(.colon(index))
                index += 1
            } else if c == "*" {
                tokens.append(.suffixStar(index))
                index += 1
            } else if c == "~" {
                let start = index
                index += 1
                var distance = 1
                if index < characters.count, let digit = characters[index].wholeNumberValue {
                    guard digit == 1 || digit == 2 else {
                        throw QueryError(message: "fuzzy distance must be 1 or 2", position: index)
                    }
                    distance = digit
                    index += 1
                }
                tokens.append(.suffixTilde(start, distance))
            } else {
                let start = index
                var word = ""
                while index < characters.count && !isBoundary(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append(word == "OR" ? .or(start) : .word(word, start: start))
            }
        }
        return tokens
    }

    private func parseOr(_ tokens: [Token], _ index: inout Int) throws(QueryError) -> Query {
        var parts = [try parseAnd(tokens, &index)]
        while index < tokens.count, case .or(let position) = tokens[index] {
            index += 1
            guard index < tokens.count, !isEnd(tokens[index]) else {
                throw QueryError(message: "'OR' needs something after it", position: position)
            }
            parts.append(try parseAnd(tokens, &index))
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private func isEnd(_ token: Token) -> Bool {
        if case .close = token { return true }
        if case .or = token { return true }
        return false
    }

    private func parseAnd(_ tokens: [Token], _ index: inout Int) throws(QueryError) -> Query {
        var parts: [Query] = []
        while index < tokens.count && !isEnd(tokens[index]) {
            parts.append(try parseUnary(tokens, &index))
        }
        guard !parts.isEmpty else {
            let position = index < tokens.count ? position(of: tokens[index]) : 0
            if index < tokens.count, case .or = tokens[index] {
                throw QueryError(message: "'OR' needs something before it", position: position)
            }
            throw QueryError(message: "expected a word, a phrase or '('", position: position)
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private func parseUnary(_ tokens: [Token], _ index: inout Int) throws(QueryError) -> Query {
        if case .minus(let position) = tokens[index] {
            index += 1
            guard index < tokens.count, !isEnd(tokens[index]) else {
                throw QueryError(message: "'-' needs a word after it", position: position)
            }
            return .not(try parsePrimary(tokens, &index))
        }
        return try parsePrimary(tokens, &index)
    }

    private func parsePrimary(_ tokens: [Token], _ index: inout Int) throws(QueryError) -> Query {
        switch tokens[index] {
        case .open(let position):
            index += 1
            guard index < tokens.count else { throw QueryError(message: "'(' is never closed", position: position) }
            let inner = try parseOr(tokens, &index)
            guard index < tokens.count, case .close = tokens[index] else {
                throw QueryError(message: "'(' is never closed", position: position)
            }
            index += 1
            return inner
        case .quoted(let text, let start):
            index += 1
            return try phrase(text, field: nil, position: start)
        case .word(let word, let start):
            index += 1
            // field:value or field:"phrase"
            if index < tokens.count, case .colon(let colon) = tokens[index] {
                let field = word.lowercased()
                guard textFields.contains(field) || keywordFields.contains(field) else {
                    let known = (textFields.union(keywordFields)).sorted().joined(separator: ", ")
                    throw QueryError(message: "unknown field '\(word)'; fields are: \(known)", position: start)
                }
                index += 1
                guard index < tokens.count else {
                    throw QueryError(message: "'\(word):' needs a value after it", position: colon)
                }
                // field:( … ) applies the field to every word and phrase of the group that has none of its own.
                if case .open = tokens[index] {
                    let group = try parsePrimary(tokens, &index)
                    return try applying(field, to: group, keyword: keywordFields.contains(field), written: word, position: colon)
                }
                if keywordFields.contains(field) {
                    guard case .word(let value, _) = tokens[index] else {
                        if case .quoted(let value, _) = tokens[index] {
                            index += 1
                            return .filter(field: field, value: value)
                        }
                        throw QueryError(message: "'\(word):' needs a value after it", position: colon)
                    }
                    index += 1
                    return .filter(field: field, value: value)
                }
                switch tokens[index] {
                case .quoted(let text, let phraseStart):
                    index += 1
                    return try phrase(text, field: field, position: phraseStart)
                case .word(let value, _):
                    index += 1
                    return try suffixes(value, field: field, tokens, &index)
                default:
                    throw QueryError(message: "'\(word):' needs a word or a phrase after it", position: colon)
                }
            }
            return try suffixes(word, field: nil, tokens, &index)
        case .close(let position):
            throw QueryError(message: "')' has no matching '('", position: position)
        case .colon(let position):
            throw QueryError(message: "':' needs a field name before it", position: position)
        case .suffixStar(let position):
            throw QueryError(message: "'*' must follow a word", position: position)
        case .suffixTilde(let position, _):
            throw QueryError(message: "'~' must follow a word", position: position)
        case .minus(let position), .or(let position):
            throw QueryError(message: "expected a word", position: position)
        }
    }

    /// A group under `field:`: its words and phrases searched in that text field, or for a keyword field
    /// taken as values to filter by.
    private func applying(_ field: String, to query: Query, keyword: Bool, written: String, position: Int) throws(QueryError) -> Query {
        switch query {
        case .word(let text, nil, let prefix, let fuzzy):
            guard keyword else { return .word(text, field: field, prefix: prefix, fuzzy: fuzzy) }
            guard !prefix && fuzzy == 0 else {
                throw QueryError(message: "'\(written):' takes values, not prefixes or typing errors", position: position)
            }
            return .filter(field: field, value: text)
        case .phrase(let words, nil):
            return keyword ? .filter(field: field, value: words.joined(separator: " ")) : .phrase(words, field: field)
        case .word, .phrase, .filter:
            return query
        case .and(let parts):
            var mapped: [Query] = []
            for part in parts { mapped.append(try applying(field, to: part, keyword: keyword, written: written, position: position)) }
            return .and(mapped)
        case .or(let parts):
            var mapped: [Query] = []
            for part in parts { mapped.append(try applying(field, to: part, keyword: keyword, written: written, position: position)) }
            return .or(mapped)
        case .not(let part):
            return .not(try applying(field, to: part, keyword: keyword, written: written, position: position))
        }
    }

    private func suffixes(_ word: String, field: String?, _ tokens: [Token], _ index: inout Int) throws(QueryError) -> Query {
        var prefix = false
        var fuzzy = 0
        while index < tokens.count {
            if case .suffixStar = tokens[index] {
                prefix = true
                index += 1
            } else if case .suffixTilde(_, let distance) = tokens[index] {
                fuzzy = distance
                index += 1
            } else {
                break
            }
        }
        return .word(word, field: field, prefix: prefix, fuzzy: fuzzy)
    }

    private func phrase(_ text: String, field: String?, position: Int) throws(QueryError) -> Query {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard !words.isEmpty else { throw QueryError(message: "the phrase is empty", position: position) }
        return words.count == 1 ? .word(words[0], field: field, prefix: false, fuzzy: 0) : .phrase(words, field: field)
    }

    /// A query must find something on its own: a query of exclusions alone is refused.
    private func checkHasPositive(_ query: Query, text: String) throws(QueryError) {
        func positive(_ query: Query) -> Bool {
            switch query {
            case .not: return false
            case .and(let parts): return parts.contains(where: positive)
            case .or(let parts): return parts.allSatisfy(positive)
            default: return true
            }
        }
        guard positive(query) else {
            throw QueryError(message: "a query needs at least one word to find, not only words to exclude", position: 0)
        }
    }
}
