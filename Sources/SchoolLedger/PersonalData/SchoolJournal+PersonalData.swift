import EventLedger

extension PersonalDataVault {
    /// Where a journal keeps its vault unless told otherwise: `vault/` inside the ledger's directory.
    public static func defaultDirectory(forLedger directory: String) -> String { directory + "/vault" }
}

extension SchoolJournal {
    /// Seals `data` for `subject` with the journal's vault, to put in an event.
    ///
    /// - Throws: ``PersonalDataError`` when the journal has no vault or the subject was erased.
    public func seal(_ data: PersonalData, for subject: PersonID) throws -> SealedPersonalData {
        guard let vault else {
            throw PersonalDataError(
                subject: subject, message: "this journal has no personal-data vault: open it with SchoolJournal.open(at:), which opens one")
        }
        return try vault.seal(data, for: subject)
    }

    /// A person's personal data as the ledger holds it now (or as of a past
    /// moment): the sealed values recorded for the subject — enrolment or
    /// parent link, then corrections and notification contacts, later fields
    /// over earlier ones — opened with the vault.
    ///
    /// `.erased` once ``PersonalDataErased`` is recorded for the subject (the
    /// key is destroyed); `.unavailable` without a vault or without data.
    func personalData(of subject: PersonID, asOf: AsOf = .now) throws -> PersonalDataReading {
        let erased = try ledger.read { reader -> Bool in
            var found = false
            try reader.forEach(inStream: SchoolStream.personalData(subject)) { view in
                if view.type == PersonalDataErased.eventType { found = true }
                return !found
            }
            return found
        }
        if erased { return .erased }
        let sealed: [SealedPersonalData] = try withIndex(asOf) { index in
            var out = [SealedPersonalData]()
            try index.forEach("personal-data", prefix: RowKey.prefix(subject.rawValue)) { key, _ in
                let parts = RowKey.parts(key)
                guard parts.count == 2, let position = UInt64(parts[1]), let view = try index.record(at: position),
                    let event = EventCoding.decodedEvent(view), let box = Self.sealedData(in: event, for: subject)
                else { return true }
                out.append(box)
                return true
            }
            return out
        }
        guard let vault, !sealed.isEmpty else { return .unavailable }
        var merged: PersonalData?
        for box in sealed {
            switch try vault.open(box) {
            case .known(let data): merged = merged.map { $0.merged(with: data) } ?? data
            case .erased: return .erased
            case .unavailable: continue
            }
        }
        return merged.map { .known($0) } ?? .unavailable
    }

    /// How to show a person: `Фамилия Имя Отчество`, `(данные удалены)` once
    /// erased, or the id when no name can be read.
    func displayName(of subject: PersonID) throws -> String {
        switch try personalData(of: subject) {
        case .known(let data): data.fullName ?? subject.rawValue
        case .erased: Self.erasedName
        case .unavailable: subject.rawValue
        }
    }

    /// What views show for a person whose data was erased.
    public static let erasedName = "(персональные данные удалены)"

    /// The sealed value an event carries for `subject`, if any.
    static func sealedData(in event: SchoolEvent, for subject: PersonID) -> SealedPersonalData? {
        let box = JournalIndexProjection.sealedBox(of: event)
        return box?.subjectID == subject ? box : nil
    }

    /// Destroys the keys of subjects whose erasure the ledger records but the
    /// vault does not yet (a crash between the two): erasure always completes.
    func finishErasures(in vault: PersonalDataVault) throws {
        var subjects = [PersonID]()
        try ledger.read { reader in
            try reader.forEachStream(withPrefix: "personal-data/") { name, _ in
                subjects.append(PersonID(String(name.dropFirst("personal-data/".count))))
                return true
            }
        }
        for subject in subjects where try !vault.isErased(subject) {
            logger.notice("finishing the erasure of a data subject", metadata: ["subject": "\(subject)"])
            try vault.erase(subject)
        }
    }
}
