package dev.quarry.template;

import static dev.quarry.template.TemplateText.body;
import static dev.quarry.template.TemplateText.parse;
import static dev.quarry.template.TemplateText.parseError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a body splits into SQL text, parameters, optional blocks and layers; through {@link TemplateParser}. */
class BodyScannerTest {

    @Nested
    class Parameters {

        @Test
        void aColonNameIsAParameterWithItsLine() {
            Template template = parse("-- t", "SELECT *", "FROM orders", "WHERE o_orderdate < :date AND o_total > :min_total");
            List<Fragment> body = template.body();
            assertEquals(5, body.size());
            assertEquals(new Fragment.Sql("SELECT *\nFROM orders\nWHERE o_orderdate < ", "t.sql", 2), body.get(0));
            assertEquals(new Fragment.Param("date", 4), body.get(1));
            assertEquals(new Fragment.Param("min_total", 4), body.get(3));
            assertEquals(new Fragment.Sql("\n", "t.sql", 4), body.get(4));
        }

        @Test
        void aNameEndsAtTheFirstCharacterThatCannotContinueIt() {
            assertEquals("SELECT <a1_b>+<c>,<Dé>\n", body("SELECT :a1_b+:c,:Dé"));
        }

        @Test
        void aCastIsNotAParameter() {
            assertEquals("SELECT x::date, <d>::date, '1'::int\n", body("SELECT x::date, :d::date, '1'::int"));
        }

        @Test
        void aColonNotFollowedByANameIsSql() {
            assertEquals("SELECT a[1:2], f(x := 1), a[<lo>:10], ': '\n", body("SELECT a[1:2], f(x := 1), a[:lo:10], ': '"));
        }

        @Test
        void theSameNameMayAppearTwice() {
            assertEquals("SELECT <a>, <b>, <a>\n", body("SELECT :a, :b, :a"));
        }
    }

    @Nested
    class Literals {

        @Test
        void aStringLiteralIsCopied() {
            assertEquals("SELECT ':x', 'it''s :x', <y>\n", body("SELECT ':x', 'it''s :x', :y"));
        }

        @Test
        void aBackslashEndsNothingInAStandardString() {
            assertEquals("SELECT 'C:\\' || <x>\n", body("SELECT 'C:\\' || :x"));
        }

        @Test
        void anEscapeStringSkipsBackslashEscapedQuotes() {
            assertEquals("SELECT E'it\\'s :x', e'\\\\' || <y>\n", body("SELECT E'it\\'s :x', e'\\\\' || :y"));
        }

        @Test
        void aWordEndingInEBeforeAQuoteDoesNotMakeAnEscapeString() {
            // ELSE'\' is the standard string '\' after the keyword ELSE: the backslash escapes nothing
            assertEquals("SELECT CASE WHEN true THEN 'a' ELSE'\\' END || <x>\n",
                    body("SELECT CASE WHEN true THEN 'a' ELSE'\\' END || :x"));
        }

        @Test
        void aQuotedIdentifierIsCopied() {
            assertEquals("SELECT \"a:x\", \"say \"\"hi\"\" :x\" AS <y>\n", body("SELECT \"a:x\", \"say \"\"hi\"\" :x\" AS :y"));
        }

        @Test
        void aDollarQuotedStringIsCopied() {
            assertEquals("SELECT $$ :x ' $1 $$, $fn$ :x $$ :y $fn$, <z>\n", body("SELECT $$ :x ' $1 $$, $fn$ :x $$ :y $fn$, :z"));
        }

        @Test
        void aDollarQuoteMaySpanLines() {
            Template template = parse("-- t", "SELECT $q$", ":x", "$q$, :y");
            assertEquals(new Fragment.Param("y", 4), template.body().get(1));
        }

        @Test
        void aDollarSignInsideAnIdentifierIsPartOfIt() {
            assertEquals("SELECT price$usd, a$b$c, t$1 FROM x WHERE <p>\n", body("SELECT price$usd, a$b$c, t$1 FROM x WHERE :p"));
        }
    }

    @Nested
    class Comments {

        @Test
        void aLineCommentIsCopied() {
            assertEquals("SELECT <a> -- not :b, nor '\n, <c>\n", body("SELECT :a -- not :b, nor '", ", :c"));
        }

        @Test
        void blockCommentsNest() {
            assertEquals("SELECT /* :a /* :b */ :c ' */ <d>\n", body("SELECT /* :a /* :b */ :c ' */ :d"));
        }

        @Test
        void aCommentAtTheEndOfTheLastLineGetsItsNewlineBack() {
            Template template = TemplateParser.parse("t", "t.sql", "-- t\nSELECT 1 -- the end");
            assertEquals("SELECT 1 -- the end\n", TemplateText.show(template.body()));
        }
    }

    @Nested
    class TrailingSemicolon {

        @Test
        void isDropped() {
            assertEquals("SELECT <a>\n", body("SELECT :a;"));
            assertEquals("SELECT 1 \n", body("SELECT 1 ;"));
        }

        @Test
        void isDroppedBeforeComments() {
            assertEquals("SELECT <a> -- done\n/* really */\n", body("SELECT :a; -- done", "/* really */"));
        }

        @Test
        void staysInsideLiteralsAndBeforeMoreSql() {
            assertEquals("SELECT ';', $$;$$ -- ;\n", body("SELECT ';', $$;$$ -- ;"));
            assertEquals("SELECT 1; SELECT 2\n", body("SELECT 1; SELECT 2"));
        }
    }

    @Nested
    class OptionalBlocks {

        @Test
        void aBlockHoldsItsFragments() {
            Template template = parse("-- t", "SELECT 1", "/*[ AND a = :a", "   AND b = :b ]*/");
            assertEquals("SELECT 1\n[ AND a = <a>\n   AND b = <b> ]\n", TemplateText.show(template.body()));
            Fragment.OptionalBlock block = assertInstanceOf(Fragment.OptionalBlock.class, template.body().get(1));
            assertEquals(3, block.line());
            assertEquals(new Fragment.Param("b", 4), block.body().get(3));
        }

        @Test
        void blocksNest() {
            assertEquals("WHERE true [ AND a = <a> [ AND b = <b> ] [[ AND <c> ]] ]\n",
                    body("WHERE true /*[ AND a = :a /*[ AND b = :b ]*/ /*[/*[ AND :c ]*/]*/ ]*/"));
        }

        @Test
        void aCommentOrLiteralInsideABlockIsCopied() {
            assertEquals("WHERE true [ AND a = ':b' /* ]*/ \"]*/\" -- ]*/\n ]\n",
                    body("WHERE true /*[ AND a = ':b' /* ]*/ \"]*/\" -- ]*/", " ]*/"));
        }
    }

    @Nested
    class Layers {

        @Test
        void anIncludeNamesATemplateAndItsArguments() {
            Template template = parse("-- t", "WITH r AS {{ tpch/revenue }}", "SELECT * FROM {{other-one(a = :b, n = 5, s = 'x, y')}} o");
            assertEquals("WITH r AS {tpch/revenue}\nSELECT * FROM {other-one(a=:b,n=5,s='x, y')} o\n",
                    TemplateText.show(template.body()));
            Fragment.Include include = assertInstanceOf(Fragment.Include.class, template.body().get(3));
            assertEquals(3, include.line());
            assertEquals(Map.of("a", ":b", "n", "5", "s", "'x, y'"), include.arguments());
        }

        @Test
        void anIncludeMaySpanLines() {
            Template template = parse("-- t", "SELECT * FROM {{child(", "  a = :a,", "  b = 2)}} AS c WHERE :z");
            assertEquals(2, ((Fragment.Include) template.body().get(1)).line());
            assertEquals(new Fragment.Param("z", 4), template.body().get(3));
        }
    }

    @Nested
    class Errors {

        @Test
        void positionalPlaceholder() {
            assertEquals("positional placeholders such as $1 are not used in templates; name it :name",
                    parseError(3, "-- t", "SELECT 1", "WHERE a = $1"));
            parseError(4, "-- t", "--", "SELECT", "  $2");
        }

        @Test
        void strayBlockClose() {
            assertEquals("']*/' closes no optional block", parseError(4, "-- t", "SELECT 1", "/*[ AND :a ]*/", "]*/"));
        }

        @Test
        void unclosedBlockIsReportedWhereItOpens() {
            assertEquals("optional block '/*[' is never closed with ']*/'",
                    parseError(3, "-- t", "SELECT 1", "/*[ AND a = :a", "/*[ AND b = :b ]*/", "ORDER BY 1"));
        }

        @Test
        void unclosedStringLiteral() {
            assertEquals("string literal is never closed", parseError(3, "-- t", "SELECT 1", "WHERE a = 'it''s", ":x"));
            assertEquals("string literal is never closed", parseError(2, "-- t", "SELECT E'\\'", "FROM t"));
        }

        @Test
        void unclosedQuotedIdentifier() {
            assertEquals("quoted identifier is never closed", parseError(3, "-- t", "SELECT 1", "AS \"x", "FROM t"));
        }

        @Test
        void unclosedComment() {
            assertEquals("comment '/*' is never closed", parseError(2, "-- t", "SELECT /* a /* b */", "FROM t"));
        }

        @Test
        void unclosedDollarQuote() {
            assertEquals("dollar-quoted string $fn$ is never closed", parseError(3, "-- t", "SELECT 1", "  , $fn$ abc $$", "FROM t"));
        }

        @Test
        void unclosedInclude() {
            assertEquals("'{{' is never closed with '}}'", parseError(2, "-- t", "SELECT * FROM {{child", "WHERE 1 = 1"));
        }

        @Test
        void includeThatNamesNoTemplate() {
            assertEquals("'{{child one}}' does not name a template", parseError(3, "-- t", "SELECT *", "FROM {{child one}}"));
        }

        @Test
        void includeArgumentsNotClosed() {
            assertEquals("the arguments of {{child(...)}} are not closed with ')'",
                    parseError(2, "-- t", "SELECT * FROM {{child(a = :a}}"));
        }

        @Test
        void blocksNestedTooDeepAreRefusedBeforeTheStackRunsOut() {
            // 20,000 levels overflowed the stack of the scanner, which recurses once per level
            assertEquals("optional blocks nest more than 32 deep",
                    parseError(2, "-- t", "SELECT 1 " + "/*[".repeat(20_000) + "]*/".repeat(20_000)));
            String deepest = "/*[".repeat(32) + " AND :a " + "]*/".repeat(32);
            assertEquals("[".repeat(32) + " AND <a> " + "]".repeat(32) + "\n", body(deepest));
            assertEquals("optional blocks nest more than 32 deep", parseError(3, "-- t", "SELECT 1", "/*[" + deepest + "]*/"));
        }

        @Test
        void includeArgumentWithoutEquals() {
            assertEquals("argument ':a' of child is not written as param = :name or param = value",
                    parseError(3, "-- t", "SELECT *", "FROM {{child(b = 1, :a)}}"));
        }
    }
}
