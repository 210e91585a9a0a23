package org.evault.cli;

public final class Main {
    public static void main(String[] args) {
    }
}
