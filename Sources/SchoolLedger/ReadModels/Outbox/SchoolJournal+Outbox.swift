import EventLedger

extension SchoolJournal {
    /// The notification outbox: messages owed to parents who, when the event
    /// was recorded and again now (consent is judged at delivery), are linked
    /// to the student, have consent registered, have not refused the
    /// electronic form and have the channel switched on for the topic — for new, corrected and
    /// cancelled marks, for marks they were told about that a breach notice
    /// voided, and (topic schedule changes) for moved and cancelled lessons —
    /// minus those reported delivered or permanently failed. Oldest first, at
    /// most `limit`.
    ///
    /// Draining is idempotent: a message's id is derived from the position it
    /// is about, the parent and the channel, so reporting a delivery twice,
    /// or after a restart, changes nothing.
    ///
    /// A key-range read of the journal index's outbox rows (``OutboxRows``),
    /// as of now or of a past position: no event is decoded.
    func outbox(limit: Int = 1000, asOf: AsOf = .now) throws -> [OutboxMessage] {
        try withContacts(try withIndex(asOf) { index in try OutboxRows.owed(limit: limit, rows: index) })
    }

    /// The same outbox folded from the events at each call, as it was built
    /// before its rows: the reference the rows are tested against (without
    /// the contacts).
    func outboxFold(limit: Int = 1000, asOf: AsOf = .now) throws -> [OutboxMessage] {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            var owed = [OutboxMessage]()
            var sources = [UInt64]()
            try index.forEach("notification-sources") { key, _ in
                sources.append(UInt64(bigEndianKey: key)); return true
            }
            for position in sources where owed.count < limit {
                guard let view = try index.record(at: position) else { continue }
                guard let recorded = EventCoding.decodedEntry(view) else { continue }
                switch recorded.entry.event {
                case .operationsVoided(let voids):
                    for voided in voids.voidedPositions {
                        // A voided record the school domain cannot decode (quarantined) owes nothing.
                        guard let voidedView = try index.record(at: voided, includingExcluded: true),
                            let voidedEntry = EventCoding.decodedEntry(voidedView)
                        else { continue }
                        let notices = try folds.notices(voidedEntry, index: index)
                        for about in notices where about.reason.topic == .marks {
                            for message in try folds.messages(about: about, reason: .voidedMark, index: index)
                            where try folds.wasDelivered(message.deliveredID, index: index) {
                                var correction = message.message
                                correction.notificationID = NotificationID(
                                    "\(position)-void-\(voided)-\(message.message.parentID)-\(message.message.channel)")
                                correction.aboutPosition = voided
                                correction.value = nil
                                if try !folds.isSettled(correction.notificationID, index: index),
                                    try folds.mayDeliver(correction, index: index)
                                {
                                    owed.append(correction)
                                }
                            }
                        }
                    }
                default:
                    for about in try folds.notices(recorded, index: index) {
                        for message in try folds.messages(about: about, reason: about.reason, index: index)
                        where try !folds.isSettled(message.message.notificationID, index: index)
                            && folds.mayDeliver(message.message, index: index)
                        {
                            var m = message.message
                            m.failedAttempts = try folds.failures(m.notificationID, index: index)
                            owed.append(m)
                        }
                    }
                }
            }
            return Array(owed.prefix(limit))
        }
    }

    /// `messages` with each parent's phone or e-mail for the channel, from the vault.
    private func withContacts(_ messages: [OutboxMessage]) throws -> [OutboxMessage] {
        try messages.map { message in
            var message = message
            if vault != nil, let data = try personalData(of: PersonID(message.parentID.rawValue)).data {
                message.contact = message.channel == .sms ? data.phone : data.email
            }
            return message
        }
    }
}
