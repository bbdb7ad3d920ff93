/// A key-personnel record: who someone is in the partnership, and who covers for and follows them.
public struct Person: Sendable, Equatable {
    public var name: String
    public var organisation: String
    public var organisationLine: Int
    public var roles: [Reference]
    public var deputy: Reference?
    public var successor: Reference?
    /// This person's peer of the same level on the other side.
    public var counterpart: Reference?
    public var keyPerson: Bool
    public var startDate: Day?
    public var leavingDate: Day?
    public var status: PersonStatus
    /// Contact details: personal data, published only to a restricted audience. Kept as written.
    public var contact: YAMLNode?

    /// Gone on `day`: marked as left, or past their leaving date.
    public func hasLeft(on day: Day) -> Bool {
        status == .left || (leavingDate.map { $0 < day } ?? false)
    }

    static func read(_ reader: inout FieldReader) -> Person {
        let name = reader.string("name", required: "the person's full name") ?? ""
        let organisation = reader.string("organisation", required: "an organisation id from baton.yml") ?? ""
        let contact = reader.node["contact"].flatMap { $0.isNull ? nil : $0 }
        if let contact, contact.pairs == nil {
            reader.sink.error("field.type", line: contact.line, "'contact' must be a mapping (email:, phone:, …)")
        }
        return Person(
            name: name, organisation: organisation,
            organisationLine: reader.node["organisation"]?.line ?? reader.line,
            roles: reader.references("roles", .role), deputy: reader.reference("deputy", .person),
            successor: reader.reference("successor", .person), counterpart: reader.reference("counterpart", .person),
            keyPerson: reader.bool("key_person") ?? false, startDate: reader.day("start_date"),
            leavingDate: reader.day("leaving_date"), status: reader.word("status", PersonStatus.self) ?? .active,
            contact: contact)
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("name", name)
        writer.set("organisation", organisation)
        writer.set("roles", roles)
        writer.set("deputy", deputy)
        writer.set("successor", successor)
        writer.set("counterpart", counterpart)
        writer.set("key_person", keyPerson, default: false)
        writer.set("start_date", startDate)
        writer.set("leaving_date", leavingDate)
        writer.set("status", status, default: .active)
        writer.set("contact", contact)
    }
}
