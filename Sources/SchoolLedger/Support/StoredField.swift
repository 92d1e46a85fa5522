import EventLedger
import SwiftProtobuf

/// A Swift value an event field holds, with its stored (wire) form: the one
/// mechanism behind every generated `init(stored:schemaVersion:)` and
/// `stored` of the event structs (`Generated/SchoolEvent+StoredForms.swift`,
/// written by `scripts/generate-catalog.py`).
///
/// A type says how it reads its stored form (naming the field in the error
/// when the form is wrong) and how it writes it. An optional field of the
/// type stores its absence the proto3 way: an empty text, a zero number, an
/// unset message (``isAbsent(_:isSet:)``).
protocol StoredField {
    /// The generated type of the field.
    associatedtype Stored
    /// Reads the value from its stored form; `isSet` is a message field's
    /// presence (always `true` for texts, numbers and enums).
    static func read(_ stored: Stored, isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError) -> Self
    /// Writes the value into the field.
    func store(into stored: inout Stored)
    /// Whether the stored form says "not given", for an optional field.
    static func isAbsent(_ stored: Stored, isSet: Bool) -> Bool
    /// The stored form before anything is written (what an element of a
    /// repeated field starts from).
    static var emptyStored: Stored { get }
    /// The stored form to assign, or `nil` when the field stays unset (an
    /// absent optional): what a message field is written from, since an
    /// `inout` access to a generated message field sets its presence.
    var storedIfPresent: Stored? { get }
}

extension StoredField {
    var storedIfPresent: Stored? {
        var stored = Self.emptyStored
        store(into: &stored)
        return stored
    }
}

extension StoredReader {
    /// The field `field` of a stored event, as the Swift type the event holds it in.
    func field<T: StoredField>(_ stored: T.Stored, isSet: Bool = true, _ field: String) throws(SchoolSchemaError) -> T {
        try T.read(stored, isSet: isSet, field, self)
    }
}

extension Optional: StoredField where Wrapped: StoredField {
    static func read(_ stored: Wrapped.Stored, isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError)
        -> Wrapped?
    {
        Wrapped.isAbsent(stored, isSet: isSet) ? nil : try Wrapped.read(stored, isSet: isSet, field, reader)
    }

    /// `nil` leaves the field unset.
    func store(into stored: inout Wrapped.Stored) { self?.store(into: &stored) }

    static func isAbsent(_ stored: Wrapped.Stored, isSet: Bool) -> Bool { Wrapped.isAbsent(stored, isSet: isSet) }
    static var emptyStored: Wrapped.Stored { Wrapped.emptyStored }
    var storedIfPresent: Wrapped.Stored? { self?.storedIfPresent }
}

extension Array: StoredField where Element: StoredField {
    /// Each element named by its index, e.g. `services[1]`.
    static func read(_ stored: [Element.Stored], isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError)
        -> [Element]
    {
        var values = [Element]()
        values.reserveCapacity(stored.count)
        for (i, s) in stored.enumerated() { values.append(try Element.read(s, isSet: true, "\(field)[\(i)]", reader)) }
        return values
    }

    func store(into stored: inout [Element.Stored]) {
        stored = map { element in
            var s = Element.emptyStored
            element.store(into: &s)
            return s
        }
    }

    static func isAbsent(_ stored: [Element.Stored], isSet: Bool) -> Bool { stored.isEmpty }
    static var emptyStored: [Element.Stored] { [] }
}

// MARK: Texts

extension String: StoredField {
    static func read(_ stored: String, isSet: Bool, _ field: String, _ reader: StoredReader) -> String { stored }
    func store(into stored: inout String) { stored = self }
    static func isAbsent(_ stored: String, isSet: Bool) -> Bool { stored.isEmpty }
    static var emptyStored: String { "" }
}

extension Identifier: StoredField {
    static func read(_ stored: String, isSet: Bool, _ field: String, _ reader: StoredReader) -> Identifier { Identifier(rawValue: stored) }
    func store(into stored: inout String) { stored = rawValue }
    static func isAbsent(_ stored: String, isSet: Bool) -> Bool { stored.isEmpty }
    static var emptyStored: String { "" }
}

extension CivilDate: StoredField {
    static func read(_ stored: String, isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError) -> CivilDate {
        try reader.date(stored, field)
    }
    func store(into stored: inout String) { stored = description }
    static func isAbsent(_ stored: String, isSet: Bool) -> Bool { stored.isEmpty }
    static var emptyStored: String { "" }
}

extension EventID: StoredField {
    static func read(_ stored: String, isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError) -> EventID {
        try reader.eventID(stored, field)
    }
    func store(into stored: inout String) { stored = description }
    static func isAbsent(_ stored: String, isSet: Bool) -> Bool { stored.isEmpty }
    static var emptyStored: String { "" }
}

// MARK: Numbers and flags

extension Int: StoredField {
    static func read(_ stored: UInt32, isSet: Bool, _ field: String, _ reader: StoredReader) -> Int { Int(stored) }
    func store(into stored: inout UInt32) { stored = UInt32(storing: self) }
    static func isAbsent(_ stored: UInt32, isSet: Bool) -> Bool { stored == 0 }
    static var emptyStored: UInt32 { 0 }
}

extension UInt64: StoredField {
    static func read(_ stored: UInt64, isSet: Bool, _ field: String, _ reader: StoredReader) -> UInt64 { stored }
    func store(into stored: inout UInt64) { stored = self }
    static func isAbsent(_ stored: UInt64, isSet: Bool) -> Bool { stored == 0 }
    static var emptyStored: UInt64 { 0 }
}

extension Bool: StoredField {
    static func read(_ stored: Bool, isSet: Bool, _ field: String, _ reader: StoredReader) -> Bool { stored }
    func store(into stored: inout Bool) { stored = self }
    static func isAbsent(_ stored: Bool, isSet: Bool) -> Bool { !stored }
    static var emptyStored: Bool { false }
}

// MARK: Closed sets

/// Every closed set is a field type, through its ``StoredEnumMirror``
/// conformance (each enum says `StoredField` beside it: a protocol that
/// refined both would need SwiftProtobuf in its requirements, which the
/// symbol-graph tool cannot read; see ``StoredMessageField``).
extension StoredField where Self: StoredEnumMirror {
    static func read(_ stored: Stored, isSet: Bool, _ field: String, _ reader: StoredReader) throws(SchoolSchemaError) -> Self {
        try reader.enumCase(stored, field)
    }
    func store(into stored: inout Stored) { stored = self.stored }
    static func isAbsent(_ stored: Stored, isSet: Bool) -> Bool { stored.rawValue == 0 }
    static var emptyStored: Stored { Stored() }
}

// MARK: Messages

/// A field type stored as a message: absent when the message is not set.
///
/// (No constraint names SwiftProtobuf here: public types conform, and the
/// symbol-graph tool that `make docs` and `make api` run cannot read a
/// conformance whose protocol needs an internally imported module.)
protocol StoredMessageField: StoredField {}

extension StoredMessageField {
    static func isAbsent(_ stored: Stored, isSet: Bool) -> Bool { !isSet }
}

extension Instant: StoredMessageField {
    static var emptyStored: Google_Protobuf_Timestamp { Google_Protobuf_Timestamp() }

    /// A required instant; an optional one is `Instant?`.
    static func read(_ stored: Google_Protobuf_Timestamp, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> Instant
    {
        try reader.requiredInstant(isSet, stored, field)
    }
    func store(into stored: inout Google_Protobuf_Timestamp) { stored = Google_Protobuf_Timestamp(storing: self) }
}

extension DateRange: StoredMessageField {
    static var emptyStored: Schoolledger_V1_DateRange { Schoolledger_V1_DateRange() }

    static func read(_ stored: Schoolledger_V1_DateRange, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> DateRange
    {
        try reader.dateRange(isSet, stored, field)
    }
    func store(into stored: inout Schoolledger_V1_DateRange) { stored = Schoolledger_V1_DateRange(storing: self) }
}

extension MarkValue: StoredMessageField {
    static var emptyStored: Schoolledger_V1_MarkValue { Schoolledger_V1_MarkValue() }

    static func read(_ stored: Schoolledger_V1_MarkValue, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> MarkValue
    {
        try reader.mark(isSet, stored, field)
    }
    func store(into stored: inout Schoolledger_V1_MarkValue) { stored = Schoolledger_V1_MarkValue(storing: self) }
}

extension TeachingTarget: StoredMessageField {
    static var emptyStored: Schoolledger_V1_TeachingTarget { Schoolledger_V1_TeachingTarget() }

    static func read(_ stored: Schoolledger_V1_TeachingTarget, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> TeachingTarget
    {
        try reader.target(isSet, stored, field)
    }
    func store(into stored: inout Schoolledger_V1_TeachingTarget) { stored = self.stored }
}

extension SealedPersonalData: StoredMessageField {
    static var emptyStored: Schoolledger_V1_SealedPersonalData { Schoolledger_V1_SealedPersonalData() }

    static func read(_ stored: Schoolledger_V1_SealedPersonalData, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> SealedPersonalData
    {
        try reader.sealed(isSet, stored, field)
    }
    func store(into stored: inout Schoolledger_V1_SealedPersonalData) { stored = self.stored }
}

extension CompromiseWindow: StoredMessageField {
    static var emptyStored: Schoolledger_V1_CompromiseWindow { Schoolledger_V1_CompromiseWindow() }

    static func read(_ stored: Schoolledger_V1_CompromiseWindow, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> CompromiseWindow
    {
        try reader.require(isSet, field)
        return CompromiseWindow(
            opensAt: try reader.requiredInstant(stored.hasOpensAt, stored.opensAt, field + ".opens_at"),
            closesAt: try reader.optionalInstant(stored.hasClosesAt, stored.closesAt, field + ".closes_at"),
            closedByPosition: stored.closedByPosition.nonZero)
    }
    func store(into stored: inout Schoolledger_V1_CompromiseWindow) {
        stored.opensAt = Google_Protobuf_Timestamp(storing: opensAt)
        if let closesAt { stored.closesAt = Google_Protobuf_Timestamp(storing: closesAt) }
        stored.closedByPosition = closedByPosition ?? 0
    }
}

extension WorkKindWeight: StoredMessageField {
    static var emptyStored: Schoolledger_V1_WorkKindWeight { Schoolledger_V1_WorkKindWeight() }

    static func read(_ stored: Schoolledger_V1_WorkKindWeight, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> WorkKindWeight
    {
        WorkKindWeight(
            workKind: try reader.enumCase(stored.workKind, field + ".work_kind"), name: stored.name,
            defaultWeight: Int(stored.defaultWeight))
    }
    func store(into stored: inout Schoolledger_V1_WorkKindWeight) {
        stored.workKind = workKind.stored
        stored.name = name
        stored.defaultWeight = UInt32(storing: defaultWeight)
    }
}

extension FinalMarkRounding: StoredMessageField {
    static var emptyStored: Schoolledger_V1_FinalMarkRounding { Schoolledger_V1_FinalMarkRounding() }

    static func read(_ stored: Schoolledger_V1_FinalMarkRounding, isSet: Bool, _ field: String, _ reader: StoredReader)
        throws(SchoolSchemaError) -> FinalMarkRounding
    {
        try reader.require(isSet, field)
        return FinalMarkRounding(
            thresholdFor5: Int(stored.thresholdFor5), thresholdFor4: Int(stored.thresholdFor4), thresholdFor3: Int(stored.thresholdFor3))
    }
    func store(into stored: inout Schoolledger_V1_FinalMarkRounding) {
        stored.thresholdFor5 = UInt32(storing: thresholdFor5)
        stored.thresholdFor4 = UInt32(storing: thresholdFor4)
        stored.thresholdFor3 = UInt32(storing: thresholdFor3)
    }
}
