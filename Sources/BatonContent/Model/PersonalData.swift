/// Which front-matter fields hold personal data: `contact` and everything under it, and any key that looks
/// like an e-mail address, a telephone number, a postal address or a date of birth, whatever its spelling
/// (`Contact`, `personal_email`, `mobile-phone`). Such fields appear only in a restricted build.
public enum PersonalData {
    /// The one field personal details belong in.
    public static let contactField = "contact"

    /// Words that make a key personal, matched against its letters and digits in lower case.
    static let markers = ["contact", "email", "mailaddress", "phone", "mobile", "cellular", "telephone", "fax",
                          "whatsapp", "address", "street", "postcode", "postalcode", "zipcode", "birth", "dob",
                          "passport", "nationalid", "privatenumber"]

    /// Whether a front-matter key holds personal data.
    public static func isPersonal(key: String) -> Bool {
        let folded = String(key.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .map(Character.init))
        if folded == "tel" || folded.hasPrefix("tel") && folded.count <= 4 { return true }
        return markers.contains { folded.contains($0) }
    }
}
