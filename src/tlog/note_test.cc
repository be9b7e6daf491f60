// The worked example of the design note (section 8), byte for byte, and the verifier rules.
#include "tlog/note.h"

#include <gtest/gtest.h>

#include "tlog/tiles.h"

namespace gz::tlog {
namespace {

constexpr std::string_view kSigner = "PRIVATE+KEY+village.example/log+6256153d+AR4jxEXjv0EXz9ltdWzErU8w8LWRs/bMC7FF0cOJGmxq";
constexpr std::string_view kVerifier = "village.example/log+6256153d+ARL66/Vj3wQ4UNdk3UTdeHHOGPfjY+FGdZjMPC9hOuHw";
constexpr std::string_view kText = "village.example/log\n3\n7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=\n";
constexpr std::string_view kSigLine =
    "\xE2\x80\x94 village.example/log "
    "YlYVPZrhA/lu/Y1R5TVGrkEcPHzOKYykOZANNpUDUAshzLoyZLe4nJqLVb3/kr3/awrt5bAeOc0ba3MFEbElGI1qFw0=\n";

const std::vector<std::string> kRecords = {"decision 2025-01: the council approves the 2025 budget",
                                           "finance 2025-02: road repair paid, 4200 EUR",
                                           "announcement 2025-03: the village well is closed for maintenance"};

TEST(Note, WorkedExampleByteForByte) {
  Result<SignerKey> signer = ParseSignerKey(kSigner);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->id, 0x6256153du);
  EXPECT_EQ(FormatSignerKey(*signer), kSigner);
  EXPECT_EQ(FormatVerifierKey(VerifierOf(*signer)), kVerifier);

  MemoryTree tree;
  for (const std::string& r : kRecords) tree.Append(LeafHash(r));
  EXPECT_EQ(Base64Encode(HashBytes(LeafHash(kRecords[0]))), "GC92iGTBov3j7ktgVUY1w+PBZEpd4oMWwnC/j+EKoIw=");
  Checkpoint c{"village.example/log", 3, *tree.Root(), {}};
  EXPECT_EQ(FormatCheckpoint(c), kText);

  Result<std::string> note = SignNote(kText, *signer);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->size(), 185u);
  EXPECT_EQ(*note, std::string(kText) + "\n" + std::string(kSigLine));

  std::string tile = *ReadTileData({0, 0, 3, false}, tree.reader());
  EXPECT_EQ(tile.size(), 96u);
  std::string bundle = *EncodeBundle(kRecords);
  EXPECT_EQ(bundle.size(), 167u);
  EXPECT_EQ(bundle.substr(0, 2), std::string("\x00\x36", 2));

  Result<VerifierKey> verifier = ParseVerifierKey(kVerifier);
  ASSERT_TRUE(verifier.ok());
  Result<std::string> opened = OpenNote(*note, {*verifier});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, kText);
  Result<Checkpoint> parsed = ParseCheckpoint(*opened);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size, 3);
  EXPECT_EQ(parsed->root, c.root);
}

TEST(Note, VerifierRules) {
  SignerKey signer = *ParseSignerKey(kSigner);
  VerifierKey verifier = *ParseVerifierKey(kVerifier);
  std::string note = *SignNote(kText, signer);
  // A changed text fails with the trusted key.
  std::string forged = note;
  forged[21] = '4';
  EXPECT_EQ(OpenNote(forged, {verifier}).status().slug(), "tlog/bad-signature");
  // Unknown keys are ignored; with no trusted signature the note is refused.
  SignerKey other = *GenerateSignerKey("other.example/log");
  EXPECT_EQ(OpenNote(note, {VerifierOf(other)}).status().slug(), "tlog/unverified-note");
  std::string cosigned = *SignNote(kText, other);
  std::string both = note + cosigned.substr(kText.size() + 1);
  EXPECT_TRUE(OpenNote(both, {verifier}).ok());
  EXPECT_TRUE(OpenNote(both, {VerifierOf(other)}).ok());
  // Same name, different id: ignored.
  VerifierKey impostor = VerifierOf(other);
  impostor.name = verifier.name;
  EXPECT_EQ(OpenNote(note, {impostor}).status().slug(), "tlog/unverified-note");
  // An ASCII hyphen instead of the em dash.
  std::string hyphen = std::string(kText) + "\n- village.example/log " + note.substr(note.rfind(' ') + 1);
  EXPECT_FALSE(OpenNote(hyphen, {verifier}).ok());
  EXPECT_FALSE(OpenNote(std::string(kText) + "\r\n" + std::string(kSigLine), {verifier}).ok());
}

TEST(Note, KeyStringsAreChecked) {
  EXPECT_FALSE(ParseVerifierKey("village.example/log+6256153e+ARL66/Vj3wQ4UNdk3UTdeHHOGPfjY+FGdZjMPC9hOuHw").ok());
  EXPECT_FALSE(ParseVerifierKey("village.example/log+6256153d+ARL66/Vj3wQ4UNdk3UTdeHHOGPfjY+FGdZjMPC9hOuHx").ok());
  EXPECT_FALSE(GenerateSignerKey("a b").ok());
  EXPECT_FALSE(GenerateSignerKey("a+b").ok());
  SignerKey k = *GenerateSignerKey("gongzhi.example/420114");
  EXPECT_EQ(ParseSignerKey(FormatSignerKey(k))->public_key, k.public_key);
}

TEST(Base64, StrictDecoding) {
  EXPECT_EQ(*Base64Decode("7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0="),
            *Base64Decode(Base64Encode(*Base64Decode("7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0="))));
  EXPECT_FALSE(Base64Decode("7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V1=").has_value());
  EXPECT_FALSE(Base64Decode("7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0").has_value());
  EXPECT_FALSE(Base64Decode("7dsBv-JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=").has_value());
  EXPECT_FALSE(Base64Decode("7dsB v+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=").has_value());
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Checkpoint, ParsingIsStrict) {
  EXPECT_FALSE(ParseCheckpoint("o\n03\n7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n3\n7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=").ok());
  EXPECT_FALSE(ParseCheckpoint("\n3\n7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n-3\n7dsBv+JQnC5qbhxzvj8v2yEPWVjZfFdm9UhwMROw8V0=\n").ok());
  Result<Checkpoint> ext = ParseCheckpoint("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\n");
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->extensions, std::vector<std::string>{"x y"});
  EXPECT_EQ(FormatCheckpoint(*ext), "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\n");
}

}  // namespace
}  // namespace gz::tlog
