import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger prove`: a Merkle proof against signed heads.
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print a Merkle proof (RFC 9162) that one record is in a signed head's log, or that one signed head's log is the start of another's.",
            discussion:
                "`prove --position P --head HEADFILE` proves the record at position P against the head's tree; `prove --from OLDER --to NEWER` proves the older head's log is the start of the newer's. The head files are those `head --sign --out` writes; each must match this ledger. The proof is JSON; `python3 Schemas/examples/verify_proof.py PROOF --head HEADFILE --public-key KEY` checks it without this program."
        )

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: ArgumentHelp("The record to prove (with --head).", valueName: "POSITION"))
        var position: UInt64?

        @Option(name: .long, help: ArgumentHelp("The signed head to prove the record against.", valueName: "HEADFILE"))
        var head: String?

        @Option(name: .long, help: ArgumentHelp("The older signed head (with --to).", valueName: "HEADFILE"))
        var from: String?

        @Option(name: .long, help: ArgumentHelp("The newer signed head (with --from).", valueName: "HEADFILE"))
        var to: String?

        @Option(name: .long, help: ArgumentHelp("Write the proof to this file instead of printing it.", valueName: "FILE"))
        var out: String?

        func validate() throws {
            switch (position, head, from, to) {
            case (.some, .some, nil, nil), (nil, nil, .some, .some): return
            default:
                throw ValidationError(
                    "Give either --position P --head HEADFILE (a record in a head's log) or --from OLDER --to NEWER (one head's log the start of another's)."
                )
            }
        }

        func run() throws {
            let ledger = try options.openReadOnly()
            let text: String
            if let position, let head {
                let tree = try Self.tree(of: head, matching: ledger)
                text = try ledger.inclusionProof(position: position, treeSize: tree.size).json
            } else if let from, let to {
                let older = try Self.tree(of: from, matching: ledger), newer = try Self.tree(of: to, matching: ledger)
                guard older.size <= newer.size else {
                    throw ValidationError("--from \(from) is of \(older.size) records, more than --to \(to) (\(newer.size)): swap them.")
                }
                text = try ledger.consistencyProof(from: older.size, to: newer.size).json
            } else {
                return
            }
            _ = try JSONOutput.emit(text, to: out)
        }

        /// The tree a signed head file signs, checked against this ledger's
        /// tree of the same size (a head of another ledger, or of a history
        /// rewritten since, proves nothing here).
        static func tree(of file: String, matching ledger: EventLedger) throws -> SignedChainHead.TreeHead {
            try signedHead(file, matching: ledger).tree
        }

        /// The signed head in `file` with its tree, checked as ``tree(of:matching:)`` says.
        static func signedHead(_ file: String, matching ledger: EventLedger) throws -> (
            head: SignedChainHead, tree: SignedChainHead.TreeHead
        ) {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
            guard let signed = try? JSONDecoder().decode(SignedChainHead.self, from: data) else {
                throw ValidationError("\(file) is not a signed head: write one with `schoolledger head --sign KEYFILE --out FILE`.")
            }
            guard let tree = signed.tree else {
                throw ValidationError("\(file) was signed before heads carried the Merkle tree: sign a new head (`head --sign`).")
            }
            let ours = try ledger.merkleRoot(size: tree.size)
            guard Hex.encode(ours.root) == tree.root else {
                throw ValidationError(
                    "\(file) signs a tree of \(tree.size) records whose root is not this ledger's: the head is of another ledger, or this history was rewritten (run `verify --against \(file)`)."
                )
            }
            return (signed, tree)
        }
    }
}
