package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An immutable order-statistic AVL tree of members keyed by join sequence. A change copies only the
 * path it touches (O(log n)) and shares the rest, so every epoch's ranking stays readable for free
 * while later changes go on; a member's rank and the member at a rank are O(log n).
 */
public final class RankTree {

    public static final RankTree EMPTY = new RankTree(null);

    private final Node root;

    private RankTree(Node root) {
        this.root = root;
    }

    public int size() {
        return size(root);
    }

    public RankTree with(Member member) {
        return new RankTree(insert(root, member));
    }

    public RankTree without(long sequence) {
        return new RankTree(remove(root, sequence));
    }

    /** The member's rank, or -1 when no member has that sequence. */
    public int rankOf(long sequence) {
        int rank = 0;
        Node node = root;
        while (node != null) {
            long key = node.member.sequence();
            if (sequence < key) {
                node = node.left;
            } else if (sequence > key) {
                rank += size(node.left) + 1;
                node = node.right;
            } else {
                return rank + size(node.left);
            }
        }
        return -1;
    }

    Member at(int rank) {
        if (rank < 0 || rank >= size()) {
            throw new IndexOutOfBoundsException("rank %d out of range 0..%d".formatted(rank, size() - 1));
        }
        Node node = root;
        int remaining = rank;
        while (true) {
            int leftSize = size(node.left);
            if (remaining < leftSize) {
                node = node.left;
            } else if (remaining == leftSize) {
                return node.member;
            } else {
                remaining -= leftSize + 1;
                node = node.right;
            }
        }
    }

    /** Up to {@code limit} members from rank {@code fromRank} on, with their ranks, in rank order. */
    List<RankedMember> ranked(int fromRank, int limit) {
        int from = Math.max(0, fromRank);
        int to = (int) Math.min((long) from + Math.max(0, limit), size());
        List<RankedMember> out = new ArrayList<>(Math.max(0, to - from));
        collect(root, 0, from, to, member -> out.add(
                new RankedMember(from + out.size(), member.id(), member.address(), member.joinedAt())));
        return out;
    }

    private static void collect(Node node, int offset, int from, int to, Consumer<Member> sink) {
        if (node == null || offset >= to || offset + node.size <= from) {
            return;
        }
        int own = offset + size(node.left);
        collect(node.left, offset, from, to, sink);
        if (own >= from && own < to) {
            sink.accept(node.member);
        }
        collect(node.right, own + 1, from, to, sink);
    }

    private record Node(Member member, Node left, Node right, int height, int size) {
    }

    private static int size(Node node) {
        return node == null ? 0 : node.size;
    }

    private static int height(Node node) {
        return node == null ? 0 : node.height;
    }

    private static Node node(Member member, Node left, Node right) {
        return new Node(member, left, right, 1 + Math.max(height(left), height(right)), 1 + size(left) + size(right));
    }

    private static Node insert(Node node, Member member) {
        if (node == null) {
            return node(member, null, null);
        }
        long key = node.member.sequence();
        if (member.sequence() < key) {
            return balance(node.member, insert(node.left, member), node.right);
        }
        if (member.sequence() > key) {
            return balance(node.member, node.left, insert(node.right, member));
        }
        return node(member, node.left, node.right);
    }

    private static Node remove(Node node, long sequence) {
        if (node == null) {
            return null;
        }
        long key = node.member.sequence();
        if (sequence < key) {
            return balance(node.member, remove(node.left, sequence), node.right);
        }
        if (sequence > key) {
            return balance(node.member, node.left, remove(node.right, sequence));
        }
        if (node.left == null) {
            return node.right;
        }
        if (node.right == null) {
            return node.left;
        }
        Node successor = node.right;
        while (successor.left != null) {
            successor = successor.left;
        }
        return balance(successor.member, node.left, removeFirst(node.right));
    }

    private static Node removeFirst(Node node) {
        if (node.left == null) {
            return node.right;
        }
        return balance(node.member, removeFirst(node.left), node.right);
    }

    private static Node balance(Member member, Node left, Node right) {
        if (height(left) > height(right) + 1) {
            if (height(left.left) >= height(left.right)) {
                return node(left.member, left.left, node(member, left.right, right));
            }
            return node(left.right.member, node(left.member, left.left, left.right.left),
                    node(member, left.right.right, right));
        }
        if (height(right) > height(left) + 1) {
            if (height(right.right) >= height(right.left)) {
                return node(right.member, node(member, left, right.left), right.right);
            }
            return node(right.left.member, node(member, left, right.left.left),
                    node(right.member, right.left.right, right.right));
        }
        return node(member, left, right);
    }
}
