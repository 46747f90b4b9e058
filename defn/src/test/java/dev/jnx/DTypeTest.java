package dev.jnx;

import org.junit.jupiter.api.Test;

import static dev.jnx.DType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Promotion rules, checked against the examples in Nx.Type's documentation. */
class DTypeTest {
    @Test
    void mergeFollowsNxTypeMerge() {
        assertEquals(S8, merge(S8, S8));
        assertEquals(S64, merge(S8, S64));
        assertEquals(S16, merge(S8, U8));
        assertEquals(S16, merge(S16, U8));
        assertEquals(S32, merge(S8, U16));
        assertEquals(S32, merge(S32, U8));
        assertEquals(S64, merge(S8, U32));
        assertEquals(S64, merge(S64, U8));
        assertEquals(S64, merge(S8, U64));
        assertEquals(F32, merge(U8, F32));
        assertEquals(F32, merge(U64, F32));
        assertEquals(F32, merge(S64, F32));
        assertEquals(F64, merge(U8, F64));
        assertEquals(F64, merge(S64, F64));
        assertEquals(BF16, merge(U8, BF16));
        assertEquals(BF16, merge(S64, BF16));
        assertEquals(F32, merge(F32, BF16));
        assertEquals(F64, merge(F64, BF16));
        assertEquals(C64, merge(C64, F32));
        assertEquals(C128, merge(C128, C64));
    }

    @Test
    void mergeNumberKeepsTheTensorTypeWhereTheNumberFits() {
        assertEquals(U8, U8.mergeNumber(0));
        assertEquals(U8, U8.mergeNumber(255));
        assertEquals(U16, U8.mergeNumber(256));
        assertEquals(S16, U8.mergeNumber(-1));
        assertEquals(S16, U8.mergeNumber(-32768));
        assertEquals(S32, U8.mergeNumber(-32769));
        assertEquals(S8, S8.mergeNumber(127));
        assertEquals(S8, S8.mergeNumber(-128));
        assertEquals(S16, S8.mergeNumber(128));
        assertEquals(S16, S8.mergeNumber(-129));
        assertEquals(F32, S8.mergeNumber(1.0));
        assertEquals(S64, U64.mergeNumber(-1337));
        assertEquals(F32, F32.mergeNumber(1));
        assertEquals(F64, F64.mergeNumber(1.0));
    }

    @Test
    void floatingAggregateAndReal() {
        assertEquals(F32, S8.toFloating());
        assertEquals(F32, S64.toFloating());
        assertEquals(BF16, BF16.toFloating());
        assertEquals(F64, F64.toFloating());
        assertEquals(S32, S8.toAggregate());
        assertEquals(U32, U16.toAggregate());
        assertEquals(S64, U64.toAggregate());
        assertEquals(BF16, BF16.toAggregate());
        assertEquals(F64, C128.toReal());
        assertEquals(F32, S8.toReal());
    }

    @Test
    void namesRoundTripAndUnknownNamesAreRejected() {
        for (DType t : values()) {
            assertEquals(t, DType.of(t.nxName()));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> DType.of("f128"));
        assertEquals(true, e.getMessage().contains("f128"));
    }
}
