// The external scanner of the kientruc grammar: the tokens for which kientruc's parser looks one
// character past the token, which the generated lexer cannot (see `externals` in grammar.js).
//
// - An identifier that ends with `-`. In kientruc an identifier continues with every `-` not
//   directly followed by `>`, so `a-` is an identifier before a space or a comma, and `a-->b`
//   reads `a-` `->` `b`. Identifiers that do not end with `-` are left to the generated lexer
//   (the grammar's `word`, which recognises keywords): the scanner returns false for them.
// - Every identifier and keyword (`as`, `on`, `until`, `via`) of a top-level declaration after
//   its first word, but not one that starts a line: kientruc starts a new declaration there
//   (docs/language.md, 2.10), so the one being continued is cut short and is an error, as it is
//   for kientruc. A keyword of an optional part (`as`, `until`, `via`, also the `via` of a
//   relation inside a body) only when what follows fits that part, as kientruc's grammar tries
//   the part whole.
// - Integers (`3`, `-5`, `007`) and dates (`2025-07-01`), only when the character after them
//   would not continue them: not a letter, a digit, `_` or a `-` before anything but `>`, and for
//   an integer not a `.` either. So `12ab`, `3.5` and `2025-07-01x` are errors, as in kientruc.
//
// The scanner keeps no state.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <string.h>

enum TokenType {
  HYPHENATED_IDENTIFIER,
  IMMEDIATE_HYPHENATED_IDENTIFIER,
  CONTINUED_IDENTIFIER,
  CONTINUED_AS,
  CONTINUED_ON,
  CONTINUED_UNTIL,
  CONTINUED_VIA,
  VIA,
  INTEGER,
  DATE,
  ERROR_SENTINEL,
};

void *tree_sitter_kientruc_external_scanner_create(void) { return NULL; }

void tree_sitter_kientruc_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_kientruc_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_kientruc_external_scanner_deserialize(void *payload, const char *buffer,
                                                       unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static bool is_digit(int32_t character) { return character >= '0' && character <= '9'; }

static bool is_identifier_start(int32_t character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
         character == '_';
}

static bool is_word_character(int32_t character) {
  return is_identifier_start(character) || is_digit(character);
}

// kientruc's whitespace: a space, \t through \r, and the byte-order mark.
static bool is_space(int32_t character) {
  return character == ' ' || (character >= '\t' && character <= '\r') || character == 0xFEFF;
}

static void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

// The longest keyword, `until`, and a character more: a longer word is no keyword.
#define WORD_CAPACITY 6

// Reads an identifier and marks its end after each character that belongs to it. Returns
// whether its last character is a `-`. The lookahead is an identifier's first character. When
// `word` is not NULL, it receives the identifier's first characters, NUL-terminated.
static bool scan_identifier(TSLexer *lexer, char *word) {
  unsigned length = 0;
  if (word != NULL) {
    word[length++] = (char)lexer->lookahead;
  }
  advance(lexer);
  lexer->mark_end(lexer);
  bool ends_with_hyphen = false;
  for (;;) {
    if (is_word_character(lexer->lookahead)) {
      if (word != NULL && length < WORD_CAPACITY) {
        word[length++] = (char)lexer->lookahead;
      }
      advance(lexer);
      lexer->mark_end(lexer);
      ends_with_hyphen = false;
    } else if (lexer->lookahead == '-') {
      bool stored = word != NULL && length < WORD_CAPACITY;
      if (stored) {
        word[length++] = '-';
      }
      advance(lexer);
      if (lexer->lookahead == '>') {
        // This `-` starts the arrow.
        if (stored) {
          length--;
        }
        break;
      }
      lexer->mark_end(lexer);
      ends_with_hyphen = true;
    } else {
      break;
    }
  }
  if (word != NULL) {
    word[length < WORD_CAPACITY ? length : WORD_CAPACITY] = '\0';
  }
  return ends_with_hyphen;
}

// What must follow a keyword for kientruc to read it as one. Its grammar tries the optional
// parts `as IDENT`, `until DATE` and `via PATH` whole: when what follows the word does not fit,
// the word is not the keyword but the start of the next declaration or entry (a property named
// `via`, as in `via 015`). The first character decides, as a PATH or an IDENT starts with a
// letter or `_` and a DATE with a digit.
enum Follower {
  ANYTHING,
  A_WORD,
  A_DIGIT,
};

struct Keyword {
  const char *text;
  enum TokenType token;
  enum Follower follower;
};

// The keywords the scanner reads: those after the first word of a top-level declaration, which
// are refused at the start of a line, and the `via` of a relation inside a body, which is not.
static const struct Keyword KEYWORDS[] = {
    {"as", CONTINUED_AS, A_WORD},
    {"on", CONTINUED_ON, ANYTHING},
    {"until", CONTINUED_UNTIL, A_DIGIT},
    {"via", CONTINUED_VIA, A_WORD},
    {"via", VIA, A_WORD},
};

#define KEYWORD_COUNT (sizeof KEYWORDS / sizeof KEYWORDS[0])

// Whether the text after a keyword (its end is marked) starts with what it needs, past
// whitespace and comments.
static bool followed_by(TSLexer *lexer, enum Follower follower) {
  if (follower == ANYTHING) {
    return true;
  }
  for (;;) {
    if (is_space(lexer->lookahead)) {
      advance(lexer);
    } else if (lexer->lookahead == '/') {
      advance(lexer);
      if (lexer->lookahead != '/') {
        return false;
      }
      while (lexer->lookahead != '\n' && !lexer->eof(lexer)) {
        advance(lexer);
      }
    } else {
      break;
    }
  }
  return follower == A_WORD ? is_identifier_start(lexer->lookahead) : is_digit(lexer->lookahead);
}

// Whether the character after a number lets it end there: `-` only before `>` (an arrow).
// Advances past a `-`; the token's end is already marked.
static bool number_may_end(TSLexer *lexer, bool is_integer) {
  int32_t next = lexer->lookahead;
  if (is_word_character(next) || (is_integer && next == '.')) {
    return false;
  }
  if (next == '-') {
    advance(lexer);
    return lexer->lookahead == '>';
  }
  return true;
}

// `-?[0-9]+` or `[0-9]{4}-[0-9]{2}-[0-9]{2}`, whichever is valid here and ends well; a date is
// tried first, as kientruc does.
static bool scan_number(TSLexer *lexer, const bool *valid_symbols) {
  bool negative = false;
  if (lexer->lookahead == '-') {
    advance(lexer);
    negative = true;
  }
  if (!is_digit(lexer->lookahead)) {
    return false;
  }
  unsigned digits = 0;
  while (is_digit(lexer->lookahead)) {
    advance(lexer);
    digits++;
  }
  lexer->mark_end(lexer);
  if (!negative && digits == 4 && lexer->lookahead == '-' && valid_symbols[DATE]) {
    advance(lexer);
    if (lexer->lookahead == '>') {
      // `2025->`: an integer before an arrow.
      lexer->result_symbol = INTEGER;
      return valid_symbols[INTEGER];
    }
    // Past this point the text is no integer: `2025-` followed by a digit cannot end one.
    for (int part = 0; part < 2; part++) {
      if (part == 1) {
        if (lexer->lookahead != '-') {
          return false;
        }
        advance(lexer);
      }
      for (int digit = 0; digit < 2; digit++) {
        if (!is_digit(lexer->lookahead)) {
          return false;
        }
        advance(lexer);
      }
    }
    lexer->mark_end(lexer);
    lexer->result_symbol = DATE;
    return number_may_end(lexer, false);
  }
  if (!valid_symbols[INTEGER]) {
    return false;
  }
  lexer->result_symbol = INTEGER;
  return number_may_end(lexer, true);
}

bool tree_sitter_kientruc_external_scanner_scan(void *payload, TSLexer *lexer,
                                                const bool *valid_symbols) {
  (void)payload;
  // No rule uses the sentinel: it is valid only during error recovery, where every symbol is.
  // Leave identifiers to the generated lexer then, but still read numbers.
  bool recovering = valid_symbols[ERROR_SENTINEL];

  if (valid_symbols[IMMEDIATE_HYPHENATED_IDENTIFIER] && !recovering) {
    // Directly after the `.` of a path: no whitespace may come first.
    lexer->result_symbol = IMMEDIATE_HYPHENATED_IDENTIFIER;
    return is_identifier_start(lexer->lookahead) && scan_identifier(lexer, NULL);
  }

  bool keyword = false;
  bool continued = valid_symbols[CONTINUED_IDENTIFIER];
  for (unsigned index = 0; index < KEYWORD_COUNT; index++) {
    if (valid_symbols[KEYWORDS[index].token]) {
      keyword = true;
      continued = continued || KEYWORDS[index].token != VIA;
    }
  }
  bool identifier =
      !recovering && (continued || keyword || valid_symbols[HYPHENATED_IDENTIFIER]);
  bool number = valid_symbols[INTEGER] || valid_symbols[DATE];
  if (!identifier && !number) {
    return false;
  }
  while (is_space(lexer->lookahead)) {
    lexer->advance(lexer, true);
  }
  if (identifier && is_identifier_start(lexer->lookahead)) {
    // A word at the start of a line continues no top-level declaration: it may only start the
    // next one.
    bool starts_line = continued && lexer->get_column(lexer) == 0;
    char word[WORD_CAPACITY + 1];
    bool ends_with_hyphen = scan_identifier(lexer, word);
    for (unsigned index = 0; keyword && index < KEYWORD_COUNT; index++) {
      const struct Keyword *candidate = &KEYWORDS[index];
      if (valid_symbols[candidate->token] && strcmp(word, candidate->text) == 0 &&
          !(starts_line && candidate->token != VIA)) {
        // The keyword, if what follows fits; else the word is the generated lexer's.
        lexer->result_symbol = candidate->token;
        return followed_by(lexer, candidate->follower);
      }
    }
    if (valid_symbols[CONTINUED_IDENTIFIER] && !starts_line) {
      lexer->result_symbol = CONTINUED_IDENTIFIER;
      return true;
    }
    // The first word of a declaration or an entry: the generated lexer reads it (and tells a
    // keyword), unless it ends with `-`.
    lexer->result_symbol = HYPHENATED_IDENTIFIER;
    return valid_symbols[HYPHENATED_IDENTIFIER] && ends_with_hyphen;
  }
  if (number && (is_digit(lexer->lookahead) || lexer->lookahead == '-')) {
    return scan_number(lexer, valid_symbols);
  }
  return false;
}
