`timescale 1ns / 1ps
// Bespoke LUT unit (SPEC 2.2 / 2.3): a (2^INDEX_BITS + 1)-entry base table and a 17-entry dual-range
// table of INT16, written through a load port (per-layer tables arrive by DMA), and LANES lookups per
// cycle through a two-stage pipeline: stage 1 splits the 16-bit code into index and weight and reads
// the two end points; stage 2 interpolates y = ((2^s - w) * lo + w * hi + 2^(s-1)) >>> s.
// The paper's unit is INDEX_BITS = 8 with the dual-range table (257 + 17 entries).
//
// Planted faults for the validation flow's self-test (never defined in a real build):
//   FAULT_ROUNDING        rounding constant off by one
//   FAULT_SWAPPED_WEIGHTS interpolation weights swapped
//   FAULT_DUAL_BOUNDARY   dual-range region one code too wide
module bespoke_lut_unit #(
    parameter integer LANES = 1,
    parameter integer INDEX_BITS = 8,   // 4..11 with the dual-range table, up to 13 without
    parameter integer HAS_DUAL = 1
) (
    input  wire                  clk,
    input  wire                  rst_n,
    // table load port
    input  wire                  load_en,
    input  wire                  load_dual,      // 0: base table, 1: dual-range table
    input  wire [INDEX_BITS:0]   load_addr,
    input  wire [15:0]           load_data,
    /* verilator lint_off UNUSEDSIGNAL */  // unused when HAS_DUAL = 0
    input  wire                  dual_enable,    // this instance has a dual-range table
    /* verilator lint_on UNUSEDSIGNAL */
    // lookups
    input  wire                  in_valid,
    input  wire [LANES*16-1:0]   in_code,
    output reg                   out_valid,
    output reg  [LANES*16-1:0]   out_data
);
  localparam integer SHIFT = 16 - INDEX_BITS;        // code bits below the base index
  localparam integer DSHIFT = 12 - INDEX_BITS;       // code bits below the dual-range index
  localparam integer ENTRIES = (1 << INDEX_BITS) + 1;
  localparam integer SUM_BITS = 16 + SHIFT + 3;
  localparam [SUM_BITS-1:0] BASE_HALF = 1 << (SHIFT - 1);   // half-up rounding constants
  localparam [SUM_BITS-1:0] DUAL_HALF = (DSHIFT > 0) ? (1 << (DSHIFT - 1)) : 0;

  reg [15:0] base_table [0:ENTRIES-1];
  /* verilator lint_off UNUSEDSIGNAL */  // unused when HAS_DUAL = 0
  reg [15:0] dual_table [0:16];
  /* verilator lint_on UNUSEDSIGNAL */

  always @(posedge clk) begin
    if (load_en) begin
      if (load_dual) dual_table[load_addr[4:0]] <= load_data;
      else base_table[load_addr] <= load_data;
    end
  end

  reg s1_valid;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1_valid  <= 1'b0;
      out_valid <= 1'b0;
    end else begin
      s1_valid  <= in_valid;
      out_valid <= s1_valid;
    end
  end

  genvar lane;
  generate
    for (lane = 0; lane < LANES; lane = lane + 1) begin : lanes
      // Stage 1: index, weight and the two end points.
      wire [15:0]         u = in_code[lane*16 +: 16];
      wire [INDEX_BITS:0] j = {1'b0, u[15:SHIFT]};
      wire [SHIFT:0]      w = {1'b0, u[SHIFT-1:0]};
      wire                in_dual;
      wire [15:0]         dual_lo, dual_hi;
      wire [SHIFT:0]      dual_w;
      if (HAS_DUAL != 0) begin : dual
        wire [4:0] k = {1'b0, u[SHIFT-1:DSHIFT]};
`ifdef FAULT_DUAL_BOUNDARY
        assign in_dual = dual_enable && (u <= (16'd1 << SHIFT));
`else
        assign in_dual = dual_enable && (u[15:SHIFT] == 0);
`endif
        assign dual_lo = dual_table[k];
        assign dual_hi = dual_table[k + 5'd1];
        assign dual_w = {{(SHIFT - DSHIFT + 1){1'b0}}, u[DSHIFT-1:0]};
      end else begin : no_dual
        assign in_dual = 1'b0;
        assign dual_lo = 16'd0;
        assign dual_hi = 16'd0;
        assign dual_w = {(SHIFT + 1){1'b0}};
      end
      reg [15:0]  s1_lo, s1_hi;
      reg [SHIFT:0] s1_w;   // weight of hi
      reg         s1_dual;
      always @(posedge clk) begin
        s1_dual <= in_dual;
        s1_lo   <= in_dual ? dual_lo : base_table[j];
        s1_hi   <= in_dual ? dual_hi : base_table[j + 1'b1];
        s1_w    <= in_dual ? dual_w : w;
      end

      // Stage 2: ((2^s - w) * lo + w * hi + 2^(s-1)) >>> s, s = SHIFT (base) or DSHIFT (dual).
      wire signed [SHIFT+2:0]    w_hi = $signed({2'b00, s1_w});
      wire signed [SHIFT+2:0]    full = s1_dual ? (1 <<< DSHIFT) : (1 <<< SHIFT);
      wire signed [SHIFT+2:0]    w_lo = full - w_hi;
`ifdef FAULT_SWAPPED_WEIGHTS
      wire signed [SUM_BITS-1:0] products = w_hi * $signed(s1_lo) + w_lo * $signed(s1_hi);
`else
      wire signed [SUM_BITS-1:0] products = w_lo * $signed(s1_lo) + w_hi * $signed(s1_hi);
`endif
      wire        [SUM_BITS-1:0] half = s1_dual ? DUAL_HALF : BASE_HALF;
      /* verilator lint_off UNUSEDSIGNAL */  // the low and top bits of the sum are not part of y
`ifdef FAULT_ROUNDING
      wire signed [SUM_BITS-1:0] rounded = products + $signed(half) + 1;
`else
      wire signed [SUM_BITS-1:0] rounded = products + $signed(half);
`endif
      /* verilator lint_on UNUSEDSIGNAL */
      // Bit slices of a two's-complement value are its arithmetic right shift; the bits above fit
      // by construction (the result lies between lo and hi).
      wire [15:0] base_y = rounded[SHIFT +: 16];
      wire [15:0] dual_y = (HAS_DUAL != 0) ? rounded[DSHIFT +: 16] : 16'd0;
      always @(posedge clk) out_data[lane*16 +: 16] <= s1_dual ? dual_y : base_y;
    end
  endgenerate
endmodule
