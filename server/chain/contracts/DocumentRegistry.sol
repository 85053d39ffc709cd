// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title DocumentRegistry
/// @notice Records that a document with a given sha256 existed at a given time. Each hash is
///         anchored once; anchoring it again reverts, so a retried transaction cannot anchor twice.
contract DocumentRegistry {
    struct Anchor {
        address by;
        uint64 at;
        uint64 blockNumber;
        string meta;
    }

    mapping(bytes32 => Anchor) private anchors;
    uint256 public count;

    event Anchored(bytes32 indexed hash, address indexed by, uint64 at, string meta);

    error AlreadyAnchored(bytes32 hash, uint64 at);
    error MetaTooLong(uint256 length);

    /// @param hash sha256 of the document's content
    /// @param meta short JSON describing the document (title, kind, size)
    function anchor(bytes32 hash, string calldata meta) external {
        Anchor storage existing = anchors[hash];
        if (existing.at != 0) revert AlreadyAnchored(hash, existing.at);
        if (bytes(meta).length > 1024) revert MetaTooLong(bytes(meta).length);
        anchors[hash] = Anchor(msg.sender, uint64(block.timestamp), uint64(block.number), meta);
        count += 1;
        emit Anchored(hash, msg.sender, uint64(block.timestamp), meta);
    }

    /// @return by who anchored it (zero address when never anchored)
    /// @return at block time of the anchor (0 when never anchored)
    /// @return blockNumber block of the anchor
    /// @return meta what was recorded with it
    function lookup(bytes32 hash) external view returns (address by, uint64 at, uint64 blockNumber, string memory meta) {
        Anchor storage a = anchors[hash];
        return (a.by, a.at, a.blockNumber, a.meta);
    }
}
